// The confirmation of several departures (or returns): a row whose box asks to confirm that
// the stay has begun (or ended) is recorded only if ticked, so the button says how many rows
// the ticks leave to record, and cannot be pressed while that is none. Its words for one row
// and for several come from the page ("{count}" for the number), in the page's language, and
// its plural rules pick one.
(function () {
  "use strict";
  const button = document.querySelector("button[data-count-label-one]");
  if (!button) return;
  const form = button.form;
  const hint = document.getElementById("stays-none-ticked");
  const plural = new Intl.PluralRules(document.documentElement.lang || undefined);
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const follow = function () {
    const rows = form.querySelectorAll('input[name="application"]').length;
    const unticked = form.querySelectorAll("input[data-confirm-row]:not(:checked)").length;
    const count = rows - unticked;
    const words = plural.select(count) === "one"
      ? button.dataset.countLabelOne
      : button.dataset.countLabelOther;
    button.textContent = words.replace("{count}", number.format(count));
    button.disabled = count === 0;
    if (hint) hint.hidden = count !== 0;
  };
  form.addEventListener("change", follow);
  // The browser may restore the boxes as they were when the officer comes back to the page.
  window.addEventListener("pageshow", follow);
  follow();
})();
