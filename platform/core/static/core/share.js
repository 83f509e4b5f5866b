/* "Teilen" box (core/_share.html): the phone's own share sheet where the browser has one (Signal and every
   other app), and a copy button; the WhatsApp, Telegram and e-mail links work without this script. */
(function () {
  "use strict";
  document.querySelectorAll(".share-box").forEach(function (box) {
    var status = box.querySelector(".share-status");
    var native = box.querySelector(".share-native");
    if (native && navigator.share) {
      native.closest("li").hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: native.dataset.shareTitle, text: native.dataset.shareText }).catch(function () {});
      });
    }
    var copy = box.querySelector(".share-copy");
    if (copy && navigator.clipboard) {
      copy.closest("li").hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(copy.dataset.shareUrl).then(function () {
          status.textContent = copy.dataset.copied;
        });
      });
    }
    // A longer text to copy (an organisation's week text): the button copies the field it names.
    var copyText = box.querySelector(".share-copy-text");
    if (copyText && navigator.clipboard) {
      copyText.hidden = false;
      copyText.addEventListener("click", function () {
        var field = document.getElementById(copyText.dataset.copyFrom);
        navigator.clipboard.writeText(field.value).then(function () {
          status.textContent = copyText.dataset.copied;
        });
      });
    }
  });
})();
