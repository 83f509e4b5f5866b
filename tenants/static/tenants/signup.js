// Signup form: show the address the chosen subdomain will have, as the user types.
(function () {
  "use strict";
  var input = document.getElementById("id_slug");
  var preview = document.getElementById("slug-preview");
  if (!input || !preview) { return; }
  var base = preview.getAttribute("data-base-domain");
  function update() {
    var value = input.value.trim();
    if (!value) { preview.hidden = true; preview.textContent = ""; return; }
    preview.hidden = false;
    preview.textContent = value + "." + base;
  }
  input.addEventListener("input", update);
  update();
})();
