/* The print view's Print button: shown only when this script runs. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var controls = document.querySelector("[data-print-controls]");
  var button = document.querySelector("[data-print]");
  if (!controls || !button) { return; }
  controls.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
