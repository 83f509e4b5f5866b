// Mitfahren: pick a free start or destination on the map (progressive enhancement). Without JS or
// tiles the latitude/longitude fields are typed; with it, a tap fills them and clears the stop chosen
// for that end. The status line says what was set (its texts come translated from data attributes).
(function () {
  "use strict";
  function start() {
    var form = document.querySelector("form[data-pin-form]");
    var tools = form && form.querySelector("[data-pin-tools]");
    var box = document.getElementById("rides-pin-map");
    if (!tools || !box || typeof L === "undefined") { return; }
    tools.hidden = false;
    var mode = "from";
    var buttons = tools.querySelectorAll("[data-pin-mode]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        mode = button.dataset.pinMode;
        Array.prototype.forEach.call(buttons, function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
      });
    });
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    map.setView([parseFloat(box.dataset.centreLat) || 50.75, parseFloat(box.dataset.centreLon) || 7.88], 12);
    var markers = {};
    var status = tools.querySelector("[data-pin-status]");
    function place(which, latlng) {
      var lat = form.elements[which + "_lat"], lon = form.elements[which + "_lon"], stop = form.elements[which + "_stop"];
      if (!lat || !lon) { return; }
      lat.value = latlng.lat.toFixed(5);
      lon.value = latlng.lng.toFixed(5);
      if (stop) { stop.value = ""; }
      if (markers[which]) { markers[which].setLatLng(latlng); } else {
        var label = tools.querySelector('[data-pin-mode="' + which + '"]').textContent;
        markers[which] = L.marker(latlng, { draggable: true, keyboard: true, title: label }).addTo(map);
        markers[which].on("dragend", function () { place(which, markers[which].getLatLng()); });
      }
      if (status) { status.textContent = tools.querySelector('[data-pin-mode="' + which + '"]').textContent + " ✓"; }
    }
    ["from", "to"].forEach(function (which) {
      var lat = form.elements[which + "_lat"], lon = form.elements[which + "_lon"];
      if (lat && lon && lat.value && lon.value) { place(which, L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
    });
    map.on("click", function (event) { place(mode, event.latlng); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
