// Time left before each legal deadline shown ([data-due]), kept current between renders:
// the page itself is rendered once for many readers. A replay's time is the browser's clock
// plus [data-offset] (ms; 0 when live).
(function () {
  "use strict";
  function left(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var hours = Math.floor(minutes / 60);
    var text = hours >= 48
      ? Math.floor(hours / 24) + (document.documentElement.lang === "fr" ? " j " : " d ") +
        (hours % 24) + " h"
      : hours + " h " + String(minutes % 60).padStart(2, "0");
    return (ms < 0 ? "-" : "") + text;
  }
  function show() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-due]"), function (el) {
      var now = Date.now() + Number(el.dataset.offset || 0);
      el.textContent = left(Date.parse(el.dataset.due) - now);
    });
  }
  document.addEventListener("DOMContentLoaded", show);
  window.setInterval(show, 5000);  // also fills a <main> the live refresh just swapped
}());

// Live pages: ask the server every few seconds whether anything changed; if so, fetch this
// page again and swap its <main>, unless the reader is typing in a form.
(function () {
  "use strict";
  var main = document.querySelector("main");
  if (!main || main.dataset.live !== "1") { return; }
  var latest = null;
  var busy = false;
  function typing() {
    var el = document.activeElement;
    return el && main.contains(el) && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && el.value;
  }
  function refresh() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (fresh) { main.innerHTML = fresh.innerHTML; document.body.dataset.refreshed = String(Date.now()); }
      });
  }
  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch("/api/v1/changes", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) { return null; }
        var changed = latest !== null && body.latest !== latest;
        latest = body.latest;
        return changed && !typing() ? refresh() : null;
      })
      .catch(function () { /* the server restarts: try again at the next tick */ })
      .then(function () { busy = false; });
  }
  poll();
  window.setInterval(poll, 3000);
}());
