// Each course line is a form of its own: sending one line's decision brings the page back
// (decided, or with that line's error) and would empty what was typed in the other lines'
// comment boxes. What they held is kept for that one page load and written back.
(function () {
  "use strict";
  const key = "kept-comments:" + window.location.pathname;
  const forms = "form[data-keep-comments]";

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
