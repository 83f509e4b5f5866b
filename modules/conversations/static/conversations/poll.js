// New messages appear without reloading: every 5 s, while the tab is visible, ask for the
// messages after the newest one shown. The page works without this script (send reloads it).
(function () {
  "use strict";
  var list = document.getElementById("message-list");
  if (!list || !window.fetch) { return; }
  var url = list.getAttribute("data-poll-url");
  var lastId = parseInt(list.getAttribute("data-last-id"), 10) || 0;
  var INTERVAL = 5000;
  var timer = null;
  var busy = false;
  var stopped = false;

  function textParagraph(className, text) {
    var p = document.createElement("p");
    if (className) { p.className = className; }
    p.textContent = text;
    return p;
  }

  function render(message, labels) {
    var item = document.createElement("li");
    item.className = "message-item" + (message.own ? " message-own" : "");
    item.id = "message-" + message.id;
    var meta = document.createElement("p");
    meta.className = "meta";
    var sender = document.createElement("strong");
    sender.textContent = message.sender;
    meta.appendChild(sender);
    meta.appendChild(document.createTextNode(" · "));
    var time = document.createElement("time");
    time.setAttribute("datetime", message.sent_at);
    time.textContent = message.sent_at_label;
    meta.appendChild(time);
    if (message.report_url) {
      meta.appendChild(document.createTextNode(" · "));
      var report = document.createElement("a");
      report.href = message.report_url;
      report.textContent = labels.report;
      meta.appendChild(report);
    }
    item.appendChild(meta);
    if (message.hidden && !message.own) {
      var hidden = document.createElement("p");
      hidden.className = "message-hidden";
      var em = document.createElement("em");
      em.textContent = labels.hidden;
      hidden.appendChild(em);
      item.appendChild(hidden);
      return item;
    }
    if (message.context) { item.appendChild(textParagraph("meta message-context", message.context)); }
    var body = document.createElement("div");
    body.className = "message-text";
    // textContent never interprets markup; line breaks come from the CSS (white-space: pre-line).
    body.textContent = message.text;
    item.appendChild(body);
    return item;
  }

  function poll() {
    if (busy || stopped || document.visibilityState !== "visible") { return; }
    busy = true;
    fetch(url + "?after=" + lastId, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        // Gone, not allowed, or signed out (redirected to the login page): stop asking.
        if (response.status === 404 || response.status === 403 || response.redirected) { stopped = true; return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) { return; }
        var labels = { hidden: data.hidden_label, report: data.report_label };
        data.messages.forEach(function (message) {
          if (message.id <= lastId || document.getElementById("message-" + message.id)) { return; }
          list.appendChild(render(message, labels));
          lastId = message.id;
        });
      })
      .catch(function () { /* offline for a moment: the next round tries again */ })
      .then(function () { busy = false; });
  }

  function start() {
    if (timer === null) { timer = window.setInterval(poll, INTERVAL); }
  }

  function stop() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); start(); } else { stop(); }
  });
  if (document.visibilityState === "visible") { start(); }
}());
