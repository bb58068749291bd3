// The queue's tick boxes for recording several departures (or returns): the box in the
// header ticks (or unticks) every row of the page. Without script it stays hidden, and each
// row is ticked by hand.
(function () {
  "use strict";
  const all = document.querySelector("input[data-select-all]");
  if (!all) return;
  const rows = function () {
    return document.querySelectorAll('input[name="application"][form="' + all.form.id + '"]');
  };
  all.hidden = false;
  all.addEventListener("change", function () {
    rows().forEach(function (box) {
      box.checked = all.checked;
    });
  });
  document.addEventListener("change", function (event) {
    if (event.target === all || event.target.name !== "application") return;
    const boxes = Array.from(rows());
    const ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  });
})();
