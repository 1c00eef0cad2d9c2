/* A live story's page follows its coverage without reloading (news/live.py).
 *
 * Every 20 s (with a little jitter, so a crowd of readers does not poll in step) it asks
 * updates/?after=LATEST. The browser revalidates with the ETag it kept, so a poll with nothing new
 * is a 304 from the page cache. New updates are not put under the reader's eyes: a button says how
 * many there are and a polite live region says so once; pressing the button shows them at the top
 * and moves the focus to the newest. Polling pauses while the tab is hidden, backs off on errors (to
 * at most five minutes) and stops when the coverage ends. Without JavaScript the page's "refresh"
 * link does the same job.
 */
(function () {
  "use strict";
  var section = document.querySelector("[data-live-poll]");
  if (!section || !window.fetch || !window.DOMParser) { return; }
  var address = section.getAttribute("data-live-poll");
  var latest = section.getAttribute("data-live-latest") || "0";
  var list = section.querySelector(".live__updates");
  var news = section.querySelector(".live__news");
  var button = section.querySelector(".live__show");
  var notice = section.querySelector(".live__notice");
  var refresh = section.querySelector(".live__refresh");
  var INTERVAL = 20000;
  var delay = INTERVAL;
  var timer = null;
  var pending = [];
  var ended = false;

  if (refresh) { refresh.hidden = true; }  // the button does its job now

  function plural(n) { return n === 1 ? "1 new update" : n + " new updates"; }

  function schedule() {
    clearTimeout(timer);
    if (ended || document.hidden) { return; }
    timer = setTimeout(poll, delay * (0.85 + Math.random() * 0.3));
  }

  function received(text) {
    var doc = new DOMParser().parseFromString(text, "text/html");
    var answer = doc.querySelector(".live-poll");
    if (!answer) { throw new Error("not a poll answer"); }
    if (answer.getAttribute("data-more") === "true") {  // away too long: the page is the quicker way
      if (notice) { notice.textContent = "Many updates were posted. Reload the page to read them."; }
    }
    var items = Array.prototype.slice.call(answer.querySelectorAll("li.live-update"));
    if (items.length) {
      pending = items.map(function (item) { return document.importNode(item, true); }).concat(pending);
      latest = answer.getAttribute("data-latest");
      button.textContent = "Show " + plural(pending.length);
      news.hidden = false;
      notice.textContent = plural(pending.length) + ". Use the button above the updates to read them.";
    }
    if (answer.getAttribute("data-ended") === "true") {
      ended = true;
      notice.textContent = "Live coverage has ended.";
    }
  }

  function poll() {
    fetch(address + "?after=" + encodeURIComponent(latest), { cache: "no-cache", credentials: "omit" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (text) { received(text); delay = INTERVAL; })
      .catch(function () { delay = Math.min(delay * 2, 300000); })
      .then(schedule);
  }

  function show() {
    if (!pending.length) { return; }
    if (!list) {
      list = document.createElement("ol");
      list.className = "live__updates";
      list.setAttribute("aria-label", "Updates, newest first");
      var none = section.querySelector(".live__none");
      if (none) { none.replaceWith(list); } else { section.appendChild(list); }
    }
    var pinned = list.querySelector(".live-update--pinned");
    var before = pinned ? pinned.nextSibling : list.firstChild;
    pending.forEach(function (item) {
      var old = document.getElementById(item.id);  // an update already shown (pinned) is not shown twice
      if (old && old.parentNode === list) { return; }
      list.insertBefore(item, before);
    });
    var first = pending[0];
    pending = [];
    news.hidden = true;
    notice.textContent = "";
    first.setAttribute("tabindex", "-1");
    first.focus();
  }

  button.addEventListener("click", show);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { clearTimeout(timer); } else { delay = INTERVAL; poll(); }
  });
  schedule();
}());
