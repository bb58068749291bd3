// Shows only the fields that belong to the chosen kind of activity. Without this script
// every field stays visible and the server still refuses fields of another kind.
(function () {
  "use strict";
  const form = document.getElementById("activity-form");
  if (!form) return;
  const kind = form.querySelector("[name=kind]");

  function showFieldsOfKind() {
    form.querySelectorAll("[data-kinds]").forEach(function (group) {
      const kinds = group.dataset.kinds.split(" ");
      group.hidden = !kinds.includes(kind.value);
    });
  }

  kind.addEventListener("change", showFieldsOfKind);
  showFieldsOfKind();
})();
