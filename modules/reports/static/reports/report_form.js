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

  function start() {
    var form = document.querySelector("form[data-draft]");
    if (!form) { return; }
    draft(form);
    pinMap(form);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
