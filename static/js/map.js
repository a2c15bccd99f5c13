/* Progressive enhancement: turn each .map element into a Leaflet map.
 *
 * Everything a map shows (places, drawn layers and their legend, dated events,
 * images pinned where they were taken) is in the page already as lists and
 * figures; without JavaScript, or without Leaflet, nothing here runs and they
 * remain. Reads data-map (JSON: places, layers, events, images, situation) or,
 * from older pages, data-places (a JSON list of places).
 *
 * Optional plugins, used when loaded before this file: leaflet.markercluster
 * (overlapping place markers are clustered) and leaflet-polylinedecorator
 * (arrowheads on axes of advance). situation.js builds on what this file
 * exposes as window.sitegenMap and on element._sitegenMap (the L.Map). */
(function () {
  "use strict";
  if (typeof window.L === "undefined") {
    return;
  }
  var L = window.L;

  var LAYER_PANE = "sitegenLayers";   /* drawn situation: under events and places */
  var EVENT_PANE = "sitegenEvents";   /* dated events: over the place markers' pins */
  var DEFAULT_COLOR = "#222222";

  function escapeHtml(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  /* An address for href: escaped, and never a script. */
  function safeUrl(url) {
    var text = String(url === null || url === undefined ? "" : url);
    if (/^\s*(javascript|vbscript|data):/i.test(text)) {
      return "#";
    }
    return escapeHtml(text);
  }

  function link(url, text) {
    return '<a href="' + safeUrl(url) + '">' + escapeHtml(text) + "</a>";
  }

  function safeColor(color, fallback) {
    return typeof color === "string" && /^#[0-9a-f]{3,8}$/i.test(color) ? color : fallback;
  }

  function isNumber(value) {
    return typeof value === "number" && isFinite(value);
  }

  /* The map's data: data-map, or the older data-places list. null if unreadable. */
  function readData(element) {
    var data;
    try {
      if (element.hasAttribute("data-map")) {
        data = JSON.parse(element.getAttribute("data-map"));
      } else if (element.hasAttribute("data-places")) {
        data = { places: JSON.parse(element.getAttribute("data-places")) };
      }
    } catch (error) {
      return null;
    }
    if (!data || typeof data !== "object") {
      return null;
    }
    return {
      places: Array.isArray(data.places) ? data.places : [],
      layers: Array.isArray(data.layers) ? data.layers : [],
      events: Array.isArray(data.events) ? data.events : [],
      images: Array.isArray(data.images) ? data.images : [],
      situation: data.situation && typeof data.situation === "object" ? data.situation : null
    };
  }

  /* GET a JSON document; calls back with the parsed value, or never on any failure
   * (file://, 404, bad JSON): what the map cannot draw stays in the page's lists. */
  function fetchJson(url, callback) {
    if (window.location.protocol === "file:") {
      return;   /* browsers refuse these requests, noisily */
    }
    function parse(text) {
      var value;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return;
      }
      callback(value);
    }
    if (typeof window.fetch === "function") {
      window.fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (text) {
          if (text !== null) {
            parse(text);
          }
        })
        .catch(function () {});
      return;
    }
    var request = new XMLHttpRequest();
    try {
      request.open("GET", url);
    } catch (error) {
      return;
    }
    request.onload = function () {
      if (request.status >= 200 && request.status < 300) {
        parse(request.responseText);
      }
    };
    request.send();
  }

  /* --- places ----------------------------------------------------------- */

  function placeLabel(place) {
    var html = '<span class="map-label-name">' + escapeHtml(place.name) + "</span>";
    if (place.local_name) {
      html += ' <span class="map-label-local" dir="auto">' + escapeHtml(place.local_name) + "</span>";
    }
    return html;
  }

  function placePopup(place) {
    var html = '<p class="map-popup-title">' + link(place.url, place.name);
    if (place.local_name) {
      html += ' <span class="local-name" dir="auto">' + escapeHtml(place.local_name) + "</span>";
    }
    html += "</p>";
    if (place.href) {
      html += '<p class="map-popup-more">' + link(place.href, "In this report") + "</p>";
    }
    return html;
  }

  function placeMarker(place) {
    var marker = L.marker([place.lat, place.lon], { title: place.name, alt: place.name });
    marker.bindTooltip(placeLabel(place), {
      permanent: true,
      direction: "right",
      className: "map-label",
      opacity: 1
    });
    marker.bindPopup(placePopup(place));
    return marker;
  }

  /* A cluster's icon is a focusable button (Leaflet): it is named by its places. */
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      div.setAttribute("aria-label", this.options.label);
      return div;
    }
  });

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var names = cluster.getAllChildMarkers().map(function (marker) {
      return marker.options.title;
    }).sort();
    var shown = names.slice(0, 8).join(", ") + (names.length > 8 ? " and " + (names.length - 8) + " more" : "");
    /* Beside the count, like a place's label: the first names and how many more. */
    var label = names.slice(0, 2).map(escapeHtml).join(", ") +
      (names.length > 2 ? ' <span class="map-cluster-more">+' + (names.length - 2) + "</span>" : "");
    return new ClusterIcon({
      html: "<div><span>" + count + '</span></div><span class="map-cluster-label">' + label + "</span>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40),
      label: count + " places: " + shown + " (zoom in)"
    });
  }

  /* Place labels go right of their marker; one that would cover a marker, a control, an
   * earlier label or the map's edge goes left, or failing that is hidden (the marker keeps
   * its title, alt text and popup) until a zoom gives it room. */
  function overlaps(a, b) {
    return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  }

  /* The marker icon's tooltip anchor is on its right: a left label moves past the pin. */
  function side(tooltip, direction) {
    tooltip.options.direction = direction;
    tooltip.options.offset = direction === "left" ? L.point(-30, 0) : L.point(0, 0);
    tooltip.update();
  }

  function declutter(element, markers) {
    var box = element.getBoundingClientRect();
    var taken = [];
    var open = markers.filter(function (marker) {
      return marker.isTooltipOpen() && marker.getTooltip().getElement();
    });
    open.forEach(function (marker) {
      var tooltip = marker.getTooltip();
      tooltip.getElement().classList.remove("map-label-hidden");
      if (tooltip.options.direction !== "right") {
        side(tooltip, "right");
      }
    });
    var clusterLabels = element.querySelectorAll(".map-cluster-label");
    Array.prototype.forEach.call(clusterLabels, function (label) {
      label.classList.remove("map-label-hidden");
    });
    /* Pins and the map's own controls (zoom, attribution) are taken before any label. */
    var solid = element.querySelectorAll(".leaflet-marker-icon, .leaflet-control");
    Array.prototype.forEach.call(solid, function (icon) {
      var r = icon.getBoundingClientRect();
      if (r.width) {
        taken.push(r);
      }
    });
    function fits(r) {
      return r.width > 0 && r.right <= box.right && r.left >= box.left && !taken.some(function (t) {
        return overlaps(r, t);
      });
    }
    open.forEach(function (marker) {
      var tooltip = marker.getTooltip();
      var r = tooltip.getElement().getBoundingClientRect();
      if (!fits(r)) {
        side(tooltip, "left");
        r = tooltip.getElement().getBoundingClientRect();
        if (!fits(r)) {
          side(tooltip, "right");
          tooltip.getElement().classList.add("map-label-hidden");
          return;
        }
      }
      taken.push(r);
    });
    Array.prototype.forEach.call(clusterLabels, function (label) {
      var r = label.getBoundingClientRect();
      if (fits(r)) {
        taken.push(r);
      } else {
        label.classList.add("map-label-hidden");
      }
    });
  }

  function declutterLater(element, markers) {
    var pending = false;
    return function () {
      if (pending) {
        return;
      }
      pending = true;
      window.setTimeout(function () {
        pending = false;
        declutter(element, markers);
      }, 0);
    };
  }

  /* --- drawn layers ----------------------------------------------------- */

  /* Path options for one kind of layer, in its side's colour. */
  function layerStyle(kind, color) {
    var base = { pane: LAYER_PANE, color: color, opacity: 0.9, weight: 2, fillColor: color };
    switch (kind) {
      case "front-line":
        return L.extend(base, { weight: 4, opacity: 1, fill: false, lineCap: "round", lineJoin: "round",
          className: "map-feature map-feature-front-line" });
      case "control":
        return L.extend(base, { weight: 1.5, opacity: 0.8, fillOpacity: 0.25,
          className: "map-feature map-feature-control" });
      case "contested":
        return L.extend(base, { weight: 2, dashArray: "8 6", fillOpacity: 0.1,
          className: "map-feature map-feature-contested" });
      case "axis":
        return L.extend(base, { weight: 3, fill: false, lineCap: "round",
          dashArray: hasDecorator() ? null : "10 6",
          className: "map-feature map-feature-axis" });
      case "area":
        return L.extend(base, { weight: 1, opacity: 0.8, fillOpacity: 0.08,
          className: "map-feature map-feature-area" });
      default:
        return L.extend(base, { weight: 2, fillOpacity: 0.15, className: "map-feature map-feature-other" });
    }
  }

  function hasDecorator() {
    return typeof L.polylineDecorator === "function" && L.Symbol && typeof L.Symbol.arrowHead === "function";
  }

  /* An arrowhead at the end of each line of an axis (nothing without the plugin). */
  function arrowHeads(polyline, color) {
    if (!hasDecorator() || typeof polyline.getLatLngs !== "function") {
      return [];
    }
    var latlngs = polyline.getLatLngs();
    var lines = latlngs.length && !(latlngs[0] instanceof L.LatLng) ? latlngs : [latlngs];
    return lines.filter(function (line) {
      return line.length > 1;
    }).map(function (line) {
      return L.polylineDecorator(line, {
        patterns: [{
          offset: "100%",
          repeat: 0,
          symbol: L.Symbol.arrowHead({
            pixelSize: 14,
            headAngle: 60,
            polygon: true,
            pathOptions: {
              pane: LAYER_PANE, color: color, fillColor: color, fillOpacity: 1, opacity: 1,
              weight: 1, stroke: true, interactive: false, className: "map-arrowhead"
            }
          })
        }]
      });
    });
  }

  /* A Leaflet layer for a GeoJSON collection; describe(feature) gives the feature's
   * {kind, color, popup} (popup: HTML). Points become small circles. Returns an
   * L.FeatureGroup whose `featureCount` is the number of features drawn. */
  function geoJsonLayer(collection, describe) {
    var group = L.featureGroup();
    var count = 0;
    function style(feature) {
      var about = describe(feature);
      var options = layerStyle(about.kind, about.color);
      var type = feature && feature.geometry && feature.geometry.type;
      if (type === "Point" || type === "MultiPoint") {
        L.extend(options, {
          radius: 5, weight: 2, fill: true, fillOpacity: 0.9,
          dashArray: null, className: options.className + " map-feature-point"
        });
      }
      return options;
    }
    var geo = L.geoJSON(collection, {
      pane: LAYER_PANE,
      style: style,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, style(feature));
      },
      onEachFeature: function (feature, layer) {
        var about = describe(feature);
        count += 1;
        if (about.popup) {
          layer.bindPopup(about.popup);
        }
        var type = feature.geometry && feature.geometry.type;
        if (about.kind === "axis" && (type === "LineString" || type === "MultiLineString")) {
          arrowHeads(layer, about.color).forEach(function (arrow) {
            group.addLayer(arrow);
          });
        }
      }
    });
    group.addLayer(geo);
    group.featureCount = count;
    return group;
  }

  function layerPopup(layer) {
    var html = '<p class="map-popup-title"><strong>' + escapeHtml(layer.title) + "</strong></p>";
    var meta = [];
    if (layer.side) {
      meta.push(escapeHtml(layer.side));
    }
    if (layer.as_of) {
      meta.push("as of " + escapeHtml(layer.as_of));
    }
    if (meta.length) {
      html += '<p class="map-popup-meta">' + meta.join(" · ") + "</p>";
    }
    if (layer.id) {
      html += '<p class="map-popup-more">' + link("#" + layer.id, "Legend entry") + "</p>";
    }
    return html;
  }

  function defaultColor(kind) {
    return kind === "front-line" ? DEFAULT_COLOR : "#4a4a4a";
  }

  /* --- events ----------------------------------------------------------- */

  var EVENT_STYLE = {
    pane: EVENT_PANE, radius: 6, weight: 3, color: "#111111", opacity: 1,
    fillColor: "#ffd23f", fillOpacity: 1, className: "event-marker"
  };

  /* A dated event: a ringed dot, the date as its tooltip; popupHtml given. */
  function eventMarker(latlng, dateLabel, popupHtml, options) {
    var marker = L.circleMarker(latlng, L.extend({}, EVENT_STYLE, options || {}));
    if (dateLabel) {
      marker.bindTooltip(escapeHtml(dateLabel), { direction: "top", className: "event-tooltip", offset: [0, -6] });
    }
    if (popupHtml) {
      marker.bindPopup(popupHtml);
    }
    return marker;
  }

  function eventPopup(event) {
    var html = '<p class="map-popup-date"><time' +
      (event.iso ? ' datetime="' + escapeHtml(event.iso) + '"' : "") + ">" +
      escapeHtml(event.date) + "</time>" +
      (event.place ? " · " + escapeHtml(event.place) : "") + "</p>";
    if (event.text) {
      html += '<p class="map-popup-text">' + escapeHtml(event.text) + "</p>";
    }
    if (event.href) {
      html += '<p class="map-popup-more">' + link(event.href, "In this report") + "</p>";
    }
    return html;
  }

  /* --- images ----------------------------------------------------------- */

  /* A picture taken at (or showing) a place: a camera beside the place's pin (left of
   * it, where no label goes), linked to its figure. */
  var CAMERA = '<svg viewBox="0 0 20 16" width="22" height="18" aria-hidden="true" focusable="false">' +
    '<path d="M2 4h4l1.5-2.5h5L14 4h4v10H2z" fill="#fff" stroke="#111" stroke-width="1.6" ' +
    'stroke-linejoin="round"/><circle cx="10" cy="9" r="3" fill="none" stroke="#111" ' +
    'stroke-width="1.6"/></svg>';

  function imageMarker(image) {
    var icon = L.divIcon({
      className: "image-marker",
      html: CAMERA,
      iconSize: [22, 18],
      iconAnchor: [30, 14]
    });
    var marker = L.marker([image.lat, image.lon], {
      icon: icon, pane: EVENT_PANE, keyboard: true, title: "Image: " + (image.title || "")
    });
    var html = '<p class="map-popup-title"><strong>Image</strong> · ' + escapeHtml(image.place) + "</p>" +
      '<p class="map-popup-text">' + escapeHtml(image.title) + "</p>";
    if (image.href) {
      html += '<p class="map-popup-more">' + link(image.href, "See the image") + "</p>";
    }
    marker.bindPopup(html);
    return marker;
  }

  /* --- the map ---------------------------------------------------------- */

  function addBounds(bounds, south, west, north, east) {
    if ([south, west, north, east].every(isNumber)) {
      bounds.extend([[south, west], [north, east]]);
    }
  }

  /* Padding 30 px, more above (a pin stands 41 px over its place) and on the right
   * (where the labels are), so that no label starts off the map. */
  function fitOptions(element, maxZoom) {
    var right = Math.round(Math.min(110, Math.max(30, element.clientWidth * 0.2)));
    return { paddingTopLeft: [30, 45], paddingBottomRight: [right, 30], maxZoom: Math.min(14, maxZoom) };
  }

  function setUp(element) {
    var data = readData(element);
    if (!data) {
      return;
    }
    var places = data.places.filter(function (p) {
      return p && isNumber(p.lat) && isNumber(p.lon);
    });
    var events = data.events.filter(function (e) {
      return e && isNumber(e.lat) && isNumber(e.lon);
    });
    var layers = data.layers.filter(function (layer) {
      return layer && layer.url;
    });
    var images = data.images.filter(function (i) {
      return i && isNumber(i.lat) && isNumber(i.lon);
    });
    if (!places.length && !events.length && !layers.length && !images.length && !data.situation) {
      return;
    }

    element.hidden = false;
    var maxZoom = parseInt(element.getAttribute("data-max-zoom"), 10) || 18;
    var map = L.map(element, { scrollWheelZoom: false, maxZoom: maxZoom });
    map.attributionControl.setPrefix(false);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: maxZoom,
        attribution: element.getAttribute("data-attribution") || ""
      }).addTo(map);
    }
    map.createPane(LAYER_PANE).style.zIndex = 390;   /* overlayPane 400, markerPane 600 */
    map.createPane(EVENT_PANE).style.zIndex = 590;   /* under the pins and clusters (600) */

    /* Initial view: the situation (layers by their bbox, and events) where there is one,
       else the places: a report's far-off places must not shrink its battle to a dot. */
    var bounds = L.latLngBounds([]);
    events.forEach(function (e) {
      addBounds(bounds, e.lat, e.lon, e.lat, e.lon);
    });
    layers.forEach(function (layer) {
      var b = layer.bbox;
      if (Array.isArray(b) && b.length === 4) {
        addBounds(bounds, b[1], b[0], b[3], b[2]);
      }
    });
    if (!bounds.isValid()) {
      places.forEach(function (p) {
        addBounds(bounds, p.lat, p.lon, p.lat, p.lon);
      });
    }
    if (!bounds.isValid()) {
      map.setView([20, 0], 2);
    } else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), Math.min(12, maxZoom));
    } else {
      map.fitBounds(bounds, fitOptions(element, maxZoom));
    }

    /* Places: one marker each, clustered where they would overlap. */
    var placeGroup = typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup({
        maxClusterRadius: 45,
        showCoverageOnHover: false,
        removeOutsideVisibleBounds: false,   /* every unclustered marker stays in the DOM */
        spiderfyOnMaxZoom: true,
        iconCreateFunction: clusterIcon
      })
      : L.layerGroup();
    var placeMarkers = places.map(placeMarker);
    placeMarkers.forEach(function (marker) {
      placeGroup.addLayer(marker);
    });
    placeGroup.addTo(map);
    var tidy = declutterLater(element, placeMarkers);
    map.on("zoomend viewreset resize", tidy);
    placeGroup.on("animationend spiderfied unspiderfied", tidy);
    tidy();

    /* Layers: fetched in parallel, drawn in the page's order whatever the arrivals. */
    var layerGroup = L.featureGroup().addTo(map);
    var drawn = [];
    var layerCount = 0;
    layers.forEach(function (layer, index) {
      var color = safeColor(layer.color, defaultColor(layer.kind));
      fetchJson(layer.url, function (collection) {
        var group;
        try {
          group = geoJsonLayer(collection, function () {
            return { kind: layer.kind, color: color, popup: layerPopup(layer) };
          });
        } catch (error) {
          return;   /* not GeoJSON Leaflet can draw: the legend remains */
        }
        drawn[index] = group;
        if (!map.hasLayer(layerGroup)) {
          return;   /* superseded (situation.js draws the layers) */
        }
        layerGroup.clearLayers();
        layerCount = 0;
        drawn.forEach(function (g) {
          if (g) {
            layerGroup.addLayer(g);
            layerCount += g.featureCount;
          }
        });
        element.setAttribute("data-layers", String(layerCount));
      });
    });

    /* Events: dated ringed dots. */
    var eventGroup = L.featureGroup().addTo(map);
    events.forEach(function (event) {
      eventGroup.addLayer(eventMarker([event.lat, event.lon], event.date, eventPopup(event)));
    });

    /* Images pinned where they were taken. */
    var imageGroup = L.featureGroup().addTo(map);
    images.forEach(function (image) {
      imageGroup.addLayer(imageMarker(image));
    });

    element.setAttribute("data-layers", "0");
    element.setAttribute("data-events", String(events.length));
    element.setAttribute("data-images", String(images.length));
    element._sitegenMap = map;
    element._sitegenOverlays = {
      places: placeGroup, layers: layerGroup, events: eventGroup, images: imageGroup
    };
    element._sitegenData = data;
    element._sitegenBounds = bounds;
    var ready;
    try {
      ready = new CustomEvent("sitegen:map", { detail: { map: map } });
    } catch (error) {
      ready = null;
    }
    if (ready) {
      element.dispatchEvent(ready);
    }
  }

  window.sitegenMap = {
    escapeHtml: escapeHtml,
    link: link,
    safeColor: safeColor,
    defaultColor: defaultColor,
    fetchJson: fetchJson,
    fitOptions: fitOptions,
    geoJsonLayer: geoJsonLayer,
    eventMarker: eventMarker,
    readData: readData,
    LAYER_PANE: LAYER_PANE,
    EVENT_PANE: EVENT_PANE
  };

  var elements = document.querySelectorAll(".map[data-map], .map[data-places]");
  Array.prototype.forEach.call(elements, function (element) {
    try {
      setUp(element);
    } catch (error) {
      /* One broken map must not keep the others (or the page) from working. */
      if (window.console && window.console.error) {
        window.console.error(error);
      }
    }
  });
})();
