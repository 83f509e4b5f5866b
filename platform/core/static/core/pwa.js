// The town as an app: registers the service worker (offline pages, push), says when a page is a saved
// copy, lists saved pages on the offline page, offers installation at a sensible moment (never on the
// first visit: from the second visit on, or once signed in) and tells iPhone users what web push needs.
(function () {
  "use strict";
  var PAGE_CACHE = "dorfkern-pages-v1"; // the service worker's page cache (town/sw.js)
  var VISITS = "dorfkern-visits";
  var DISMISSED = "dorfkern-install-dismissed";
  var QUIET_DAYS = 30;

  function store(kind) {
    try { return window[kind]; } catch (e) { return null; } // storage may be blocked
  }
  var local = store("localStorage");
  var session = store("sessionStorage");

  var standalone = (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) ||
    window.navigator.standalone === true;
  var ios = /iPad|iPhone|iPod/.test(navigator.userAgent) ||
    (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () {});
    });
  }

  // A new browser session counts as one visit.
  var visits = 0;
  if (local) {
    visits = parseInt(local.getItem(VISITS) || "0", 10) || 0;
    if (session && !session.getItem(VISITS)) {
      session.setItem(VISITS, "1");
      visits += 1;
      local.setItem(VISITS, String(visits));
    }
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    // Offline: the page on screen is the copy saved on this device.
    var notice = document.querySelector("[data-offline-notice]");
    if (notice) {
      var update = function () { notice.hidden = navigator.onLine; };
      window.addEventListener("online", update);
      window.addEventListener("offline", update);
      update();
    }

    // iPhone and iPad: web push works only in the app added to the home screen.
    if (ios && !standalone) {
      document.querySelectorAll("[data-ios-only]").forEach(function (el) { el.hidden = false; });
    }

    // The offline page lists the pages this device keeps.
    var saved = document.querySelector("[data-offline-pages]");
    if (saved && window.caches) {
      var list = saved.querySelector("[data-offline-list]");
      caches.open(PAGE_CACHE).then(function (cache) { return cache.keys(); }).then(function (keys) {
        return Promise.all(keys.slice().reverse().map(function (request) {
          return caches.match(request, { cacheName: PAGE_CACHE, ignoreVary: true }).then(function (response) {
            return response ? response.text() : "";
          }).then(function (html) {
            var found = /<title>([^<]*)<\/title>/i.exec(html);
            var scratch = document.createElement("textarea");
            scratch.innerHTML = found ? found[1] : ""; // decodes entities; never inserted as markup
            return { url: request.url, title: scratch.value.trim() || new URL(request.url).pathname };
          });
        }));
      }).then(function (pages) {
        pages.forEach(function (page) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = page.url;
          link.textContent = page.title;
          item.appendChild(link);
          list.appendChild(item);
        });
        saved.hidden = pages.length === 0;
      }).catch(function () {});
    }

    // Installation: offered from the second visit on, or to people who signed in; never on the first load.
    var prompt = document.querySelector("[data-install-prompt]");
    if (!prompt || standalone) return;
    var dismissedAt = local ? parseInt(local.getItem(DISMISSED) || "0", 10) || 0 : 0;
    var quiet = Date.now() - dismissedAt < QUIET_DAYS * 24 * 3600 * 1000;
    var signedIn = document.body.hasAttribute("data-signed-in");
    var moment = !quiet && (visits >= 2 || signedIn);
    var accept = prompt.querySelector("[data-install-accept]");
    var dismiss = prompt.querySelector("[data-install-dismiss]");
    var deferred = null;

    function hide(remember) {
      prompt.hidden = true;
      if (remember && local) local.setItem(DISMISSED, String(Date.now()));
    }

    dismiss.addEventListener("click", function () { hide(true); });
    window.addEventListener("appinstalled", function () { hide(false); });
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault(); // the browser's own bar would come on the first load
      deferred = event;
      if (moment) prompt.hidden = false;
    });
    accept.addEventListener("click", function () {
      if (!deferred) return;
      deferred.prompt();
      deferred.userChoice.then(function (choice) { hide(choice.outcome !== "accepted"); deferred = null; });
    });
    if (ios && moment) {
      // Safari has no install dialog: the prompt explains the way through the share menu.
      accept.hidden = true;
      prompt.querySelectorAll("[data-install-ios]").forEach(function (el) { el.hidden = false; });
      prompt.hidden = false;
    }
  });
})();
