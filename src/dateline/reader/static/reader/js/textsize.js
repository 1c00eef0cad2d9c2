/* [-] Text [+]: body text size in steps, remembered across pages and reloads.
   Loaded in <head> so the stored size applies before the story is drawn; the buttons stay
   hidden (and the page fully usable) when this script does not run. */
(function () {
  "use strict";
  var KEY = "dateline-text-size";
  var STEPS = 6;          /* sizes 0..5, see reader.css */
  var DEFAULT = 1;
  var root = document.documentElement;

  function stored() {
    try {
      var value = parseInt(window.localStorage.getItem(KEY), 10);
      return value >= 0 && value < STEPS ? value : DEFAULT;
    } catch (e) {
      return DEFAULT;
    }
  }

  function apply(step) {
    root.setAttribute("data-text-size", String(step));
    var buttons = document.querySelectorAll("[data-text-size-step]");
    for (var i = 0; i < buttons.length; i++) {
      var delta = parseInt(buttons[i].getAttribute("data-text-size-step"), 10);
      var atEnd = (delta < 0 && step === 0) || (delta > 0 && step === STEPS - 1);
      buttons[i].disabled = atEnd;
    }
  }

  function change(delta) {
    var step = Math.min(STEPS - 1, Math.max(0, stored() + delta));
    try { window.localStorage.setItem(KEY, String(step)); } catch (e) { /* private mode: size lasts for this page */ }
    apply(step);
  }

  root.setAttribute("data-text-size", String(stored()));

  document.addEventListener("DOMContentLoaded", function () {
    var controls = document.querySelectorAll("[data-text-size-controls]");
    for (var i = 0; i < controls.length; i++) { controls[i].hidden = false; }
    var buttons = document.querySelectorAll("[data-text-size-step]");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].addEventListener("click", function (event) {
        change(parseInt(event.currentTarget.getAttribute("data-text-size-step"), 10));
      });
    }
    apply(stored());
  });
})();
