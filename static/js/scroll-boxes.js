// A wide table or timeline scrolls sideways in its box on a narrow screen. A box that scrolls
// is made reachable from the keyboard (its arrows then scroll it) and named for screen readers
// after its table's caption or the heading before it; a box that fits is left out of the tab
// order.
(function () {
  "use strict";
  const boxes = ".table-responsive, .timeline-scroll";
  let unnamed = 0;

  function headingBefore(box) {
    const headings = Array.from(document.querySelectorAll("#main h1, #main h2, #main h3, #main h4"));
    return headings.filter(function (heading) {
      return heading.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING;
    }).pop();
  }

  function nameOf(box) {
    const named = box.querySelector("caption") || headingBefore(box);
    if (!named) return null;
    if (!named.id) named.id = "scroll-box-name-" + ++unnamed;
    return named.id;
  }

  // A timeline that scrolls opens on its first stay, once: it opened on 1A, and a student
  // whose stays are all in 3A saw an empty picture.
  function showFirstStay(box) {
    if (!box.matches(".timeline-scroll") || "placed" in box.dataset) return;
    box.dataset.placed = "";
    const left = box.getBoundingClientRect().left;
    const starts = Array.from(box.querySelectorAll(".timeline-bar")).map(function (bar) {
      return bar.getBoundingClientRect().left - left;
    });
    if (starts.length) box.scrollLeft = Math.max(0, Math.min.apply(null, starts) - 24);
  }

  function mark(box) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls) showFirstStay(box);
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      box.dataset.scrollBox = "";
      const name = nameOf(box);
      if (name) box.setAttribute("aria-labelledby", name);
      else box.setAttribute("aria-label", document.documentElement.dataset.scrollLabel || "");
    } else if (!scrolls && box.hasAttribute("data-scroll-box")) {
      ["tabindex", "role", "aria-labelledby", "aria-label", "data-scroll-box"].forEach(
        function (attribute) { box.removeAttribute(attribute); }
      );
    }
  }

  // A box is marked again whenever its width changes (a turned phone, a resized window);
  // boxes htmx brings in are watched as they arrive.
  const watcher = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { mark(entry.target); });
  }) : null;

  function watchAll() {
    document.querySelectorAll(boxes).forEach(function (box) {
      mark(box);
      if (watcher) watcher.observe(box);
    });
  }

  document.addEventListener("htmx:afterSettle", watchAll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchAll);
  else watchAll();
})();
