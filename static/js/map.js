/* Progressive enhancement: turn each .map element into a Leaflet map of its places.
 * The list of places with coordinates and links is in the page already; without
 * JavaScript, or without Leaflet, nothing here runs and the list remains. */
(function () {
  "use strict";
  if (typeof window.L === "undefined") {
    return;
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }
  function popup(place) {
    var html = '<a href="' + escapeHtml(place.url) + '">' + escapeHtml(place.name) + "</a>";
    if (place.local_name) {
      html += '<br><span dir="auto">' + escapeHtml(place.local_name) + "</span>";
    }
    return html;
  }
  var maps = document.querySelectorAll(".map[data-places]");
  Array.prototype.forEach.call(maps, function (element) {
    var places;
    try {
      places = JSON.parse(element.getAttribute("data-places"));
    } catch (error) {
      return;
    }
    if (!places.length) {
      return;
    }
    element.hidden = false;
    var maxZoom = parseInt(element.getAttribute("data-max-zoom"), 10) || 18;
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.getAttribute("data-tiles"), {
      maxZoom: maxZoom,
      attribution: element.getAttribute("data-attribution")
    }).addTo(map);
    var bounds = [];
    places.forEach(function (place) {
      L.marker([place.lat, place.lon], { title: place.name, alt: place.name })
        .addTo(map)
        .bindPopup(popup(place));
      bounds.push([place.lat, place.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], Math.min(12, maxZoom));
    } else {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
    }
  });
})();
