/* A live story's page follows its coverage without reloading (news/live.py).
 *
 * Every 20 s (with a little jitter, so a crowd of readers does not poll in step) it asks updates/,
 * the newest updates as one answer that is the same for every reader: the page cache holds it, a
 * static publish writes it as a file, and the browser revalidates with the ETag it kept, so a poll
 * with nothing new is a 304. Only after a long absence (more new updates than that answer holds)
 * does it ask updates/?after=LATEST. New updates are not put under the reader's eyes: a button says
 * how many there are and a polite live region says so once; pressing the button shows them at the
 * top and moves the focus to the newest. An update the desk edited is replaced where it stands, and
 * one it deleted is taken off the page. Polling pauses while the tab is hidden, backs off on errors
 * (to at most five minutes) and stops when the coverage ends. Without JavaScript the page's
 * "refresh" link does the same job.
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

  function answerOf(text) {
    var doc = new DOMParser().parseFromString(text, "text/html");
    var answer = doc.querySelector(".live-poll");
    if (!answer) { throw new Error("not a poll answer"); }
    return answer;
  }

  function number(item) { return parseInt(item.getAttribute("data-update"), 10); }

  // Edits and deletions of the updates on the page (and of those waiting behind the button).
  function reconcile(items, complete) {
    var fresh = {};
    items.forEach(function (item) { fresh[item.id] = item; });
    var oldest = items.length ? number(items[items.length - 1]) : Infinity;
    var shown = list ? Array.prototype.slice.call(list.querySelectorAll("li.live-update")) : [];
    shown.concat(pending).forEach(function (node) {
      var now = fresh[node.id];
      if (now) {
        if (now.getAttribute("data-version") !== node.getAttribute("data-version")) {
          var copy = document.importNode(now, true);
          if (node.parentNode) { node.parentNode.replaceChild(copy, node); }
          pending = pending.map(function (p) { return p === node ? copy : p; });
        }
      } else if (complete || number(node) >= oldest) {  // in the answer's span and not in it: deleted
        if (node.parentNode) { node.parentNode.removeChild(node); }
        pending = pending.filter(function (p) { return p !== node; });
      }
    });
  }

  function offer(items) {
    var known = {};
    pending.forEach(function (p) { known[p.id] = true; });
    var last = parseInt(latest, 10);
    var added = items.filter(function (item) { return number(item) > last && !known[item.id]; });
    if (added.length) {
      pending = added.map(function (item) { return document.importNode(item, true); }).concat(pending);
      latest = String(number(added[0]));
    }
    if (pending.length) {
      button.textContent = "Show " + plural(pending.length);
      news.hidden = false;
      if (added.length) {
        notice.textContent = plural(pending.length) + ". Use the button above the updates to read them.";
      }
    } else {
      news.hidden = true;
    }
  }

  function received(text) {
    var answer = answerOf(text);
    var items = Array.prototype.slice.call(answer.querySelectorAll("li.live-update"));
    var complete = answer.getAttribute("data-more") !== "true";
    reconcile(items, complete);
    if (!complete && items.length && number(items[items.length - 1]) > parseInt(latest, 10) + 1) {
      return catchUp();  // more new updates than the answer holds: ask for those after ours
    }
    offer(items);
    checkEnded(answer);
  }

  function checkEnded(answer) {
    if (answer.getAttribute("data-ended") === "true") {
      ended = true;
      notice.textContent = "Live coverage has ended.";
    }
  }

  function catchUp() {
    return get(address + "?after=" + encodeURIComponent(latest)).then(function (text) {
      var answer = answerOf(text);
      if (answer.getAttribute("data-more") === "true" && notice) {  // away too long: the page is quicker
        notice.textContent = "Many updates were posted. Reload the page to read them.";
      }
      offer(Array.prototype.slice.call(answer.querySelectorAll("li.live-update")));
      checkEnded(answer);
    });
  }

  function get(url) {
    return fetch(url, { cache: "no-cache", credentials: "omit" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    });
  }

  function poll() {
    get(address)
      .then(received)
      .then(function () { delay = INTERVAL; })
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
