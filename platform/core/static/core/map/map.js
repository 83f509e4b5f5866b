// The one map component: draws every .site-map box with the vendored Leaflet, from the JSON the
// page carries next to it (core/_map.html). Without JavaScript or Leaflet the box stays hidden and
// the page's list of places is all there is; when tiles fail to load, a notice points to that list.
(function () {
  "use strict";
  function popup(point) {
    var box = document.createElement("div");
    var title = document.createElement(point.url ? "a" : "strong");
    if (point.url) { title.href = point.url; }
    title.textContent = point.title;
    box.appendChild(title);
    [point.category, point.text].forEach(function (line) {
      if (!line) { return; }
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }
  function draw(element) {
    var data = document.getElementById(element.dataset.mapData);
    if (!data || typeof L === "undefined") { return; }
    var layers = JSON.parse(data.textContent);
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    var tiles = L.tileLayer(element.dataset.tiles, {
      attribution: element.dataset.attribution, maxZoom: parseInt(element.dataset.maxZoom, 10) || 19
    }).addTo(map);
    var failed = 0;
    tiles.on("tileerror", function () {
      failed += 1;
      var notice = document.querySelector('[data-map-notice="' + element.id + '"]');
      if (notice && failed >= 3) { notice.hidden = false; }
    });
    var bounds = [];
    var overlays = {};
    layers.forEach(function (layer) {
      var group = L.layerGroup();
      layer.points.forEach(function (point) {
        L.circleMarker([point.lat, point.lon], {
          radius: 9, color: "#ffffff", weight: 2, fillColor: layer.colour, fillOpacity: 0.95
        }).bindPopup(popup(point)).bindTooltip(point.title).addTo(group);
        bounds.push([point.lat, point.lon]);
      });
      group.addTo(map);
      overlays[layer.label] = group;
    });
    if (layers.length > 1) { L.control.layers(null, overlays, { collapsed: window.innerWidth < 600 }).addTo(map); }
    if (!bounds.length) { map.setView([51.0, 10.0], 6); }
    else if (bounds.length === 1) { map.setView(bounds[0], 15); }
    else { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); }
  }
  function start() { Array.prototype.forEach.call(document.querySelectorAll(".site-map"), draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
