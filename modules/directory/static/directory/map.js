// Draws the directory map with the vendored Leaflet, only when the page has a map container
// (the town set a tile server) and Leaflet loaded. Without either, the page stays as it is.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("directory-map");
    var data = document.getElementById("directory-map-points");
    if (!box || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      L.marker([point.lat, point.lon], { title: point.name, alt: point.name }).addTo(map).bindPopup(link);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 15); } else { map.fitBounds(bounds, { padding: [24, 24] }); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
