// A "Show password" button beside every password field marked data-password-toggle: typing a
// password once, and seeing it on request, is easier than typing it twice blind.
(function () {
  "use strict";
  document.querySelectorAll("input[data-password-toggle]").forEach(function (input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small password-toggle";
    var show = input.dataset.show, hide = input.dataset.hide;  // translated by the form
    button.textContent = show;
    button.setAttribute("aria-controls", input.id);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var visible = input.type === "text";
      input.type = visible ? "password" : "text";
      button.textContent = visible ? show : hide;
      button.setAttribute("aria-pressed", visible ? "false" : "true");
    });
    input.insertAdjacentElement("afterend", button);
  });
}());
