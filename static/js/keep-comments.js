// A page of several forms (a course plan's lines, a dossier's decisions): sending one brings
// the page back (done, or with that form's error) and would empty what was typed in the other
// forms' text boxes. What they held is kept for that one page load and written back.
(function () {
  "use strict";
  const forms = "form[data-keep-comments]";
  const first = document.querySelector(forms);
  if (!first) return;
  // The page's own name when its forms post elsewhere and may come back at another address.
  const key = "kept-comments:" + (first.dataset.keepComments || window.location.pathname);

  let kept = {};
  try {
    kept = JSON.parse(window.sessionStorage.getItem(key) || "{}");
    window.sessionStorage.removeItem(key);
  } catch (error) {
    return; // no session storage (a private window may refuse it): nothing is kept
  }
  document.querySelectorAll(forms + " textarea[id]").forEach(function (box) {
    if (!box.value && kept[box.id]) box.value = kept[box.id];
  });

  document.addEventListener("submit", function (event) {
    if (!event.target.matches(forms)) return;
    const typed = {};
    document.querySelectorAll(forms + " textarea[id]").forEach(function (box) {
      if (box.form !== event.target && box.value.trim()) typed[box.id] = box.value;
    });
    try {
      window.sessionStorage.setItem(key, JSON.stringify(typed));
    } catch (error) {
      // full or refused: the page comes back as before
    }
  });
})();
