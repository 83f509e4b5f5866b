// Waste calendar: copy the feed address, colour the waste-type dots (no inline styles: CSP).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) { return; }
      input.select();
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
  document.querySelectorAll(".waste-badge[data-colour]").forEach(function (badge) {
    var colour = badge.getAttribute("data-colour");
    var dot = badge.querySelector(".waste-dot");
    if (dot && /^#[0-9a-fA-F]{6}$/.test(colour)) { dot.style.backgroundColor = colour; }
  });
})();
