// A page answered with a form's errors opens at the first of them. On a phone the form is
// often far below the top of the page: the page came back at its top, with nothing on screen
// to say why the decision was not recorded. The field in error takes the focus, so a screen
// reader reads it with its message; an error that belongs to no field is scrolled to.
(function () {
  "use strict";
  if (window.location.hash) return;
  const first = document.querySelector(
    "#main form .is-invalid, #main form .alert-danger[role=alert]"
  );
  if (!first) return;
  const field = first.matches("input, select, textarea") ? first : null;
  if (field) {
    field.focus({ preventScroll: true });
  }
  first.scrollIntoView({ block: "center" });
})();
