// The reporting form: a pin on the vendored Leaflet map (tiles through the platform's proxy), "use my
// position", and a draft of the typed text kept in localStorage until the report is sent, so a lost
// connection on the roadside costs nothing. Without JavaScript the typed address does the job.
(function () {
  "use strict";
  var KEEP = ["category", "description", "latitude", "longitude", "address", "ortsgemeinde",
    "contact_name", "contact_email", "contact_phone"];

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draft(form) {
    var store = storage();
    var key = form.dataset.draft;
    if (!store || !key) { return; }
    var saved = {};
    try { saved = JSON.parse(store.getItem(key) || "{}"); } catch (e) { saved = {}; }
    KEEP.forEach(function (name) {
      var field = form.elements[name];
      if (field && !field.value && saved[name]) { field.value = saved[name]; }
    });
    function save() {
      var data = {};
      KEEP.forEach(function (name) { var f = form.elements[name]; if (f && f.value) { data[name] = f.value; } });
      store.setItem(key, JSON.stringify(data));
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("reports:pin", save);
    // Sent (or supported instead): the draft has done its job. A refused form shows the page again,
    // and the fields are still there.
    form.addEventListener("submit", function () { store.removeItem(key); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-clear]"), function (button) {
      button.addEventListener("click", function () { store.removeItem(key); });
    });
  }

  function pinMap(form) {
    var box = document.getElementById("reports-pin-map");
    if (!box || typeof L === "undefined") { return; }
    var lat = form.elements.latitude, lon = form.elements.longitude;
    var status = document.querySelector("[data-pin-status]");
    box.hidden = false;
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    var marker = null;
    function place(latlng, zoom) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: box.getAttribute("aria-label") }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng()); });
      }
      if (zoom) { map.setView(latlng, zoom); }
      if (status) { status.textContent = status.dataset.setText || "✓"; }
      form.dispatchEvent(new Event("reports:pin"));
    }
    if (status) { status.dataset.setText = status.textContent.trim() || "📍 " + lat.value; }
    if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), 17); }
    else { map.setView([parseFloat(box.dataset.centreLat) || 50.75, parseFloat(box.dataset.centreLon) || 7.88], 13); }
    map.on("click", function (event) { place(event.latlng); });
    var locate = document.querySelector("[data-locate]");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          place(L.latLng(pos.coords.latitude, pos.coords.longitude), 18);
        });
      });
    }
  }

  // The live duplicate check: as the category and the pin are chosen, open reports of that kind
  // nearby are shown with "Support this report", before anything is typed or sent. The server
  // checks again on Send unless this list was shown (then the resident has seen it: confirm_new).
  function nearby(form) {
    var box = document.querySelector("[data-nearby]");
    if (!box || !window.fetch) { return; }
    var list = box.querySelector("[data-nearby-list]");
    var category = form.elements.category, lat = form.elements.latitude, lon = form.elements.longitude;
    var token = form.elements.csrfmiddlewaretoken;
    var timer = null, asked = 0;
    var forms = document.createElement("div");
    form.parentNode.insertBefore(forms, form.nextSibling);

    function seen(yes) {
      var flag = form.querySelector("input[data-nearby-seen]");
      if (yes && !flag) {
        flag = document.createElement("input");
        flag.type = "hidden"; flag.name = "confirm_new"; flag.value = "1";
        flag.setAttribute("data-nearby-seen", "");
        form.appendChild(flag);
      } else if (!yes && flag) { flag.parentNode.removeChild(flag); }
    }

    function item(report) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = report.url; link.textContent = report.title;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" (" + report.distance + ", " + report.status + ")"));
      var text = document.createElement("p");
      text.textContent = report.description;
      li.appendChild(text);
      if (report.follow_url) {
        // Forms can't nest: the support form lives after the report form, its button here (form="…").
        var support = document.createElement("form");
        support.method = "post"; support.action = report.follow_url;
        support.id = "reports-support-" + report.reference;
        support.hidden = true;
        [["csrfmiddlewaretoken", token ? token.value : ""], ["follow", "1"]].forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
          support.appendChild(input);
        });
        forms.appendChild(support);
        var button = document.createElement("button");
        button.type = "submit"; button.textContent = box.dataset.support;
        button.setAttribute("form", support.id);
        button.addEventListener("click", function () {
          var store = storage();
          if (store && form.dataset.draft) { store.removeItem(form.dataset.draft); }
        });
        li.appendChild(button);
      } else {
        var signin = document.createElement("a");
        signin.href = box.dataset.signinUrl + "?next=" + encodeURIComponent(report.url);
        signin.textContent = box.dataset.signin;
        li.appendChild(signin);
      }
      return li;
    }

    function show(reports) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      while (forms.firstChild) { forms.removeChild(forms.firstChild); }
      reports.forEach(function (report) { list.appendChild(item(report)); });
      box.hidden = reports.length === 0;
      seen(reports.length > 0);
    }

    function check() {
      seen(false);
      if (!category.value || !lat.value || !lon.value) { show([]); return; }
      var mine = ++asked;
      var url = box.dataset.url + "?" + new URLSearchParams({ category: category.value, lat: lat.value, lon: lon.value });
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { reports: [] }; })
        .then(function (data) { if (mine === asked) { show(data.reports || []); } })
        .catch(function () { /* offline: the server checks on Send */ });
    }

    function later() { clearTimeout(timer); timer = setTimeout(check, 300); }
    category.addEventListener("change", later);
    form.addEventListener("reports:pin", later);
    // After a Send that found duplicates the page lists them already; check again once something changes.
    if (!document.querySelector("[data-server-duplicates]")) { later(); }
  }

  function start() {
    var form = document.querySelector("form[data-draft]");
    if (!form) { return; }
    draft(form);
    pinMap(form);
    nearby(form);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
