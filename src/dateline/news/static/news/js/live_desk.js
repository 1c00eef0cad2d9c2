/* The live desk keeps the update being written (news/live_views.py): every pause in typing saves
 * its text and headline in this browser, under this editor and this story, so a closed tab, a
 * crash or a lost connection loses nothing. Coming back to the desk with an empty form brings the
 * draft back and says so; once the update is posted (the desk's address then carries ?posted=ID)
 * the draft is forgotten. A form the server sent back with an error keeps what was typed itself.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-draft]");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-live-draft");
  var text = form.querySelector("[name=text]");
  var headline = form.querySelector("[name=headline]");
  var status = form.querySelector(".live-draft__status");
  var timer = null;

  function read() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function say(message) { if (status) { status.textContent = message; } }

  function clock(time) {
    var d = new Date(time);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function save() {
    timer = null;
    if (!text.value.trim() && !headline.value.trim()) {
      localStorage.removeItem(key);
      say("");
      return;
    }
    var now = Date.now();
    try {
      localStorage.setItem(key, JSON.stringify({ text: text.value, headline: headline.value, saved: now }));
      say("Draft saved in this browser at " + clock(now) + ".");
    } catch (e) {
      say("The draft could not be saved in this browser.");
    }
  }

  if (form.hasAttribute("data-live-posted")) {
    localStorage.removeItem(key);  // that draft is on the page now
  } else {
    var draft = read();
    if (draft && !text.value && !headline.value && (draft.text || draft.headline)) {
      text.value = draft.text || "";
      headline.value = draft.headline || "";
      say("Your unposted draft from " + clock(draft.saved) + " is back in the form.");
    }
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  });
  window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(); } });
}());
