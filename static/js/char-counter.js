// Under a text with a length limit (data-char-limit), how many characters it holds, as it is
// typed: "1,234 / 10,000 characters", then how many too many. Nothing is cut: the server
// refuses a text too long and gives it back whole. Characters are counted as the server counts
// them (a character outside the basic plane is one, a line break one). The words come from
// the page, in its language, with "{count}", "{limit}" and "{excess}" for the numbers.
(function () {
  "use strict";
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const words = function (template, values) {
    return template.replace(/\{(count|limit|excess)\}/g, function (_match, name) {
      return number.format(values[name]);
    });
  };
  document.querySelectorAll("textarea[data-char-limit]").forEach(function (text) {
    const limit = Number(text.dataset.charLimit);
    const counter = document.createElement("div");
    counter.id = text.id + "-count";
    counter.className = "form-text";
    counter.setAttribute("aria-live", "polite");
    text.insertAdjacentElement("afterend", counter);
    const describedBy = (text.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    describedBy.push(counter.id);
    text.setAttribute("aria-describedby", describedBy.join(" "));
    const follow = function () {
      const count = Array.from(text.value).length;
      const over = count > limit;
      counter.textContent = words(over ? text.dataset.charOver : text.dataset.charCount, {
        count: count,
        limit: limit,
        excess: count - limit,
      });
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-semibold", over);
    };
    text.addEventListener("input", follow);
    // The browser may give the text back as it was when the student comes back to the page.
    window.addEventListener("pageshow", follow);
    follow();
  });
})();
