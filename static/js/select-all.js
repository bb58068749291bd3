// The queue's tick boxes for recording several departures (or returns): the box in the
// header ticks (or unticks) every row of the page; once the page is ticked, a line offers to
// select every application of the filters, on every page. Without script the header's box
// stays hidden, each row is ticked by hand, and that line is always shown.
(function () {
  "use strict";
  const all = document.querySelector("input[data-select-all]");
  if (!all) return;
  const matching = document.querySelector("[data-select-matching]");
  const rows = function () {
    return document.querySelectorAll('input[name="application"][form="' + all.form.id + '"]');
  };
  const showMatching = function () {
    if (!matching) return;
    // When the page holds every application of the filters, its header's box says it all.
    const pageTicked = all.checked && !all.indeterminate;
    matching.hidden = !pageTicked || matching.hasAttribute("data-page-holds-all");
  };
  const follow = function () {
    const boxes = Array.from(rows());
    const ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
    showMatching();
  };
  all.hidden = false;
  if (matching) {
    const pageTicked = matching.querySelector("[data-page-ticked]");
    if (pageTicked) pageTicked.hidden = false;
  }
  all.addEventListener("change", function () {
    rows().forEach(function (box) {
      box.checked = all.checked;
    });
    showMatching();
  });
  document.addEventListener("change", function (event) {
    if (event.target === all || event.target.name !== "application") return;
    follow();
  });
  // The browser may restore the boxes as they were when the officer comes back to the page.
  window.addEventListener("pageshow", follow);
  follow();
})();
