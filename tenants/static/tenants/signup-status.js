// Signup status page: poll the JSON endpoint and update the steps in place.
// Without JavaScript the page refreshes itself (<meta http-equiv=refresh> in <noscript>).
(function () {
  "use strict";
  var box = document.getElementById("signup-status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var status = box.getAttribute("data-status");
  var steps = box.querySelectorAll("ol.steps li");
  var line = document.getElementById("status-line");
  // Waiting for someone to open an e-mail takes longer than a provisioning step.
  var INTERVAL = status === "awaiting_confirmation" ? 10000 : 2000;

  function render(data) {
    if (data.status !== status || data.finished) {
      // A new phase brings new buttons (try again, go to your town): let the server render them.
      window.location.reload();
      return false;
    }
    for (var i = 0; i < steps.length && i < data.steps.length; i++) {
      var li = steps[i], step = data.steps[i];
      li.className = step.done ? "done" : (step.current ? "current" : "");
      if (step.current) { li.setAttribute("aria-current", "step"); } else { li.removeAttribute("aria-current"); }
    }
    if (data.progress && status === "provisioning" && line) {
      line.textContent = data.progress + " …";
    }
    return true;
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data === null || render(data)) { window.setTimeout(poll, INTERVAL); }
      })
      .catch(function () { window.setTimeout(poll, INTERVAL * 3); });
  }
  window.setTimeout(poll, INTERVAL);
})();
