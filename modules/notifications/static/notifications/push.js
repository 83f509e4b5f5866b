// Push notifications on this device: progressive enhancement for the settings page.
// Uses the town's service worker (/sw.js, registered by core/pwa.js), which shows the pushes.
(function () {
  "use strict";
  var box = document.getElementById("push-controls");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  var unsupported = document.getElementById("push-unsupported");
  var enable = document.getElementById("push-enable");
  var disable = document.getElementById("push-disable");
  var status = document.getElementById("push-status");
  if (unsupported) unsupported.hidden = true;
  box.hidden = false;

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    });
  }

  function show(subscribed, message) {
    enable.hidden = subscribed;
    disable.hidden = !subscribed;
    status.textContent = message || "";
  }

  function registration() {
    return navigator.serviceWorker.register("/sw.js").then(function () { return navigator.serviceWorker.ready; });
  }

  registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
    show(Boolean(sub), sub ? box.dataset.textOn : "");
  }).catch(function () {});

  enable.addEventListener("click", function () {
    enable.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("denied");
      return registration();
    }).then(function (reg) {
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) });
    }).then(function (sub) {
      return post(box.dataset.subscribeUrl, sub.toJSON());
    }).then(function () {
      show(true, box.dataset.textOn);
    }).catch(function (error) {
      show(false, error && error.message === "denied" ? box.dataset.textDenied : box.dataset.textFailed);
    }).then(function () { enable.disabled = false; });
  });

  disable.addEventListener("click", function () {
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) return null;
      return post(box.dataset.unsubscribeUrl, { endpoint: sub.endpoint }).then(function () { return sub.unsubscribe(); });
    }).then(function () { show(false, ""); }).catch(function () { show(true, box.dataset.textFailed); });
  });
})();
