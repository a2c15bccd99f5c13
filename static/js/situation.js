/* The series situation page: the situation SITREP by SITREP on the map, with a time control.
 *
 * Loaded after map.js, only on that page. The map element's data-map has
 * "situation": {"data": URL of a GeoJSON FeatureCollection, "steps": [{step, label,
 * date, url}]}. Layer features carry properties.layer_id, events (Points)
 * properties.event_id; both carry properties.step. At step k the map shows the
 * layers of the latest step <= k that has any (a SITREP draws its whole situation;
 * one without layers carries the previous picture) and every event of a step <= k,
 * those of step k emphasised. The page's .timeline (hidden without JavaScript) is
 * revealed and driven here; the no-JS list of steps (section.situation-step#step-K)
 * gets class "current" on the step shown. Without JavaScript, or if the data cannot
 * be fetched, the page's lists remain and the timeline stays hidden. */
(function () {
  "use strict";
  var api = window.sitegenMap;
  if (typeof window.L === "undefined" || !api) {
    return;
  }
  var L = window.L;
  var PLAY_INTERVAL = 1500;

  var CURRENT_EVENT = {
    radius: 7, weight: 3, color: "#111111", opacity: 1, fillColor: "#ffd23f", fillOpacity: 1
  };
  var PAST_EVENT = {
    radius: 5, weight: 2, color: "#3a3a3a", opacity: 0.75, fillColor: "#c8c8c8", fillOpacity: 0.75
  };

  var esc = api.escapeHtml;
  var link = api.link;

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function number(value) {
    var n = typeof value === "number" ? value : parseInt(value, 10);
    return isFinite(n) ? n : null;
  }

  function stepTitle(step) {
    return step.date ? step.label + " (" + step.date + ")" : String(step.label);
  }

  function layerPopup(p) {
    var html = '<p class="map-popup-title"><strong>' + esc(p.layer) + "</strong></p>";
    var meta = [];
    if (p.side_label || p.side) {
      meta.push(esc(p.side_label || p.side));
    }
    if (p.as_of) {
      meta.push("as of " + esc(p.as_of));
    }
    if (meta.length) {
      html += '<p class="map-popup-meta">' + meta.join(" · ") + "</p>";
    }
    var more = [];
    if (p.layer_id) {
      more.push(link("#" + p.layer_id, "Legend entry"));
    }
    if (p.post) {
      more.push(link(p.post, p.post_title || "Report"));
    }
    if (more.length) {
      html += '<p class="map-popup-more">' + more.join(" · ") + "</p>";
    }
    return html;
  }

  function eventPopup(p, step) {
    var html = '<p class="map-popup-date"><time' + (p.date ? ' datetime="' + esc(p.date) + '"' : "") + ">" +
      esc(p.date_label || p.date) + "</time>" + (p.place ? " · " + esc(p.place) : "") + "</p>";
    if (p.text) {
      html += '<p class="map-popup-text">' + esc(p.text) + "</p>";
    }
    if (Array.isArray(p.sources) && p.sources.length) {
      html += '<p class="map-popup-meta">Sources: ' + p.sources.map(function (source) {
        return esc(source.name) + (source.grade ? " (" + esc(source.grade) + ")" : "");
      }).join("; ") + "</p>";
    }
    var more = [];
    if (p.event_id) {
      more.push(link("#" + p.event_id, "In the list"));
    }
    if (p.post) {
      more.push(link(p.post, step ? step.label : "Report"));
    }
    if (more.length) {
      html += '<p class="map-popup-more">' + more.join(" · ") + "</p>";
    }
    return html;
  }

  function setUp(element) {
    var data = element._sitegenData;
    var map = element._sitegenMap;
    if (!map || !data || !data.situation || !data.situation.data) {
      return;
    }
    var steps = (Array.isArray(data.situation.steps) ? data.situation.steps : [])
      .filter(function (s) {
        return s && number(s.step) !== null;
      })
      .map(function (s) {
        return { step: number(s.step), label: s.label || "SITREP " + s.step, date: s.date || "", url: s.url || "" };
      })
      .sort(function (a, b) {
        return a.step - b.step;
      });
    if (!steps.length) {
      return;
    }
    api.fetchJson(data.situation.data, function (collection) {
      if (!collection || !Array.isArray(collection.features)) {
        return;
      }
      start(element, map, steps, collection.features);
    });
  }

  function start(element, map, steps, features) {
    var byNumber = {};
    steps.forEach(function (s) {
      byNumber[s.step] = s;
    });

    /* Layers: one group per step that has any. */
    var layerFeatures = {};
    var events = [];
    features.forEach(function (feature) {
      var p = feature && feature.properties;
      var step = p ? number(p.step) : null;
      if (!feature.geometry || step === null) {
        return;
      }
      if (p.event_id !== undefined && p.event_id !== null) {
        if (feature.geometry.type === "Point") {
          events.push(feature);
        }
        return;
      }
      (layerFeatures[step] = layerFeatures[step] || []).push(feature);
    });
    var layerGroups = {};
    var layerSteps = [];
    Object.keys(layerFeatures).forEach(function (key) {
      try {
        layerGroups[key] = api.geoJsonLayer({ type: "FeatureCollection", features: layerFeatures[key] }, function (f) {
          var p = f.properties;
          return { kind: p.kind, color: api.safeColor(p.color, api.defaultColor(p.kind)), popup: layerPopup(p) };
        });
        layerSteps.push(number(key));
      } catch (error) {
        /* a step's layers Leaflet cannot draw: its legend remains */
      }
    });
    layerSteps.sort(function (a, b) {
      return a - b;
    });

    var eventMarkers = events.map(function (feature) {
      var p = feature.properties;
      var c = feature.geometry.coordinates;
      var marker = api.eventMarker([c[1], c[0]], p.date_label || p.date,
        eventPopup(p, byNumber[number(p.step)]), CURRENT_EVENT);
      marker.sitegenStep = number(p.step);
      return marker;
    });

    /* The situation replaces what map.js drew from data-map's layers and events. */
    var overlays = element._sitegenOverlays || {};
    if (overlays.layers) {
      map.removeLayer(overlays.layers);
    }
    if (overlays.events) {
      map.removeLayer(overlays.events);
    }

    /* View: what map.js fitted, widened to the whole situation if it lies outside. */
    var all = L.latLngBounds([]);
    if (element._sitegenBounds && element._sitegenBounds.isValid()) {
      all.extend(element._sitegenBounds);
    }
    layerSteps.forEach(function (s) {
      var b = layerGroups[s].getBounds();
      if (b.isValid()) {
        all.extend(b);
      }
    });
    eventMarkers.forEach(function (m) {
      all.extend(m.getLatLng());
    });
    if (all.isValid() && !map.getBounds().contains(all)) {
      map.fitBounds(all, L.extend(api.fitOptions(element, map.getMaxZoom()), { animate: false }));
    }

    var current = null;
    var shownLayerStep = null;

    function layerStepFor(k) {
      var found = null;
      layerSteps.forEach(function (s) {
        if (s <= k) {
          found = s;
        }
      });
      return found;
    }

    /* Frame the shown step: its layers and its events (no animation if motion is reduced). */
    function follow(k, animate) {
      var b = L.latLngBounds([]);
      eventMarkers.forEach(function (m) {
        if (m.sitegenStep === k) {
          b.extend(m.getLatLng());
        }
      });
      var ls = layerStepFor(k);
      if (ls !== null && layerGroups[ls].getBounds().isValid()) {
        b.extend(layerGroups[ls].getBounds());
      }
      if (!b.isValid()) {
        return;
      }
      var options = L.extend(api.fitOptions(element, map.getMaxZoom()), {
        maxZoom: Math.min(14, map.getMaxZoom())
      });
      if (!animate || reducedMotion()) {
        map.fitBounds(b, L.extend(options, { animate: false }));
      } else {
        map.flyToBounds(b, L.extend(options, { duration: 0.8 }));
      }
    }

    function show(k) {
      current = k;
      var ls = layerStepFor(k);
      if (ls !== shownLayerStep) {
        if (shownLayerStep !== null) {
          map.removeLayer(layerGroups[shownLayerStep]);
        }
        if (ls !== null) {
          layerGroups[ls].addTo(map);
        }
        shownLayerStep = ls;
      }
      var eventCount = 0;
      eventMarkers.forEach(function (m) {
        var visible = m.sitegenStep <= k;
        if (!visible) {
          if (map.hasLayer(m)) {
            map.removeLayer(m);
          }
          return;
        }
        eventCount += 1;
        var now = m.sitegenStep === k;
        m.setStyle(now ? CURRENT_EVENT : PAST_EVENT);
        if (m.setRadius) {
          m.setRadius(now ? CURRENT_EVENT.radius : PAST_EVENT.radius);
        }
        if (!map.hasLayer(m)) {
          m.addTo(map);
        }
        var path = m.getElement && m.getElement();
        if (path) {
          L.DomUtil[now ? "addClass" : "removeClass"](path, "event-current");
          L.DomUtil[now ? "removeClass" : "addClass"](path, "event-past");
        }
        if (now) {
          m.bringToFront();
        }
      });
      element.setAttribute("data-step", String(k));
      element.setAttribute("data-layers", String(ls === null ? 0 : layerGroups[ls].featureCount));
      element.setAttribute("data-events", String(eventCount));
      Array.prototype.forEach.call(document.querySelectorAll(".situation-step"), function (section) {
        var isCurrent = section.id === "step-" + k;
        section.classList.toggle("current", isCurrent);
        if (isCurrent) {
          section.setAttribute("aria-current", "step");
        } else {
          section.removeAttribute("aria-current");
        }
      });
      if (controls) {
        controls.update(k);
      }
    }

    var numbers = steps.map(function (s) {
      return s.step;
    });
    var first = numbers[0];
    var last = numbers[numbers.length - 1];

    /* The step shown for a slider value: the latest step <= value. */
    function stepAt(value) {
      var found = first;
      numbers.forEach(function (n) {
        if (n <= value) {
          found = n;
        }
      });
      return found;
    }

    function neighbour(k, direction) {
      var i = numbers.indexOf(k) + direction;
      return i >= 0 && i < numbers.length ? numbers[i] : k;
    }

    var controls = buildControls(element, steps, {
      first: first,
      last: last,
      stepAt: stepAt,
      neighbour: neighbour,
      current: function () {
        return current;
      },
      go: function (k, moved) {
        show(k);
        if (moved) {
          follow(k, true);
        }
      }
    });

    var initial = last;
    var fromHash = /^#step-(\d+)$/.exec(window.location.hash || "");
    if (fromHash && byNumber[number(fromHash[1])]) {
      initial = number(fromHash[1]);
    } else if (controls && controls.range) {
      initial = stepAt(number(controls.range.value) === null ? last : number(controls.range.value));
    }
    show(initial);
    follow(initial, false);
    if (controls) {
      controls.element.hidden = false;
    }
  }

  /* Wire the page's .timeline (if any) to the steps. Returns {element, range, update}. */
  function buildControls(element, steps, nav) {
    var box = null;
    var parent = element.parentNode;
    while (parent && !box) {
      box = parent.querySelector ? parent.querySelector(".timeline") : null;
      parent = parent.parentNode;
    }
    if (!box) {
      return null;
    }
    var range = box.querySelector('input[type="range"]');
    var back = box.querySelector(".timeline-back");
    var next = box.querySelector(".timeline-next");
    var play = box.querySelector(".timeline-play");
    var output = box.querySelector(".timeline-label");
    var byNumber = {};
    steps.forEach(function (s) {
      byNumber[s.step] = s;
    });
    var timer = null;

    if (range) {
      range.min = String(nav.first);
      range.max = String(nav.last);
      range.step = "1";
    }

    function stop() {
      if (timer !== null) {
        window.clearTimeout(timer);
        timer = null;
      }
      if (play) {
        play.setAttribute("aria-pressed", "false");
        play.textContent = "Play";
      }
    }

    function tick() {
      timer = null;
      var k = nav.current();
      if (k >= nav.last) {
        stop();
        return;
      }
      nav.go(nav.neighbour(k, 1), true);
      if (nav.current() >= nav.last) {
        stop();
      } else {
        timer = window.setTimeout(tick, PLAY_INTERVAL);
      }
    }

    function setDisabled(button, disabled) {
      if (!button) {
        return;
      }
      if (disabled && document.activeElement === button && range) {
        range.focus();   /* a disabled button would drop the keyboard focus */
      }
      button.disabled = disabled;
    }

    if (range) {
      var onInput = function () {
        stop();
        var value = number(range.value);
        var k = nav.stepAt(value === null ? nav.last : value);
        if (k !== nav.current()) {
          nav.go(k, true);
        }
      };
      range.addEventListener("input", onInput);
      range.addEventListener("change", onInput);
    }
    if (back) {
      back.addEventListener("click", function () {
        stop();
        nav.go(nav.neighbour(nav.current(), -1), true);
      });
    }
    if (next) {
      next.addEventListener("click", function () {
        stop();
        nav.go(nav.neighbour(nav.current(), 1), true);
      });
    }
    if (play) {
      play.addEventListener("click", function () {
        if (timer !== null) {
          stop();
          return;
        }
        play.setAttribute("aria-pressed", "true");
        play.textContent = "Pause";
        if (nav.current() >= nav.last) {
          nav.go(nav.first, true);   /* from the end: play again from the start */
        }
        timer = window.setTimeout(tick, PLAY_INTERVAL);
      });
    }

    return {
      element: box,
      range: range,
      update: function (k) {
        var step = byNumber[k];
        if (range) {
          range.value = String(k);
          range.setAttribute("aria-valuetext", stepTitle(step));
        }
        if (output) {
          output.innerHTML = (step.url ? link(step.url, step.label) : esc(step.label)) +
            (step.date ? ' <span class="timeline-date">' + esc(step.date) + "</span>" : "");
        }
        setDisabled(back, k <= nav.first);
        setDisabled(next, k >= nav.last);
        if (play) {
          play.disabled = nav.first === nav.last;
        }
      }
    };
  }

  var elements = document.querySelectorAll(".map[data-map]");
  Array.prototype.forEach.call(elements, function (element) {
    function run() {
      try {
        setUp(element);
      } catch (error) {
        if (window.console && window.console.error) {
          window.console.error(error);
        }
      }
    }
    if (element._sitegenMap) {
      run();
    } else {
      element.addEventListener("sitegen:map", run);
    }
  });
})();
