// Maps, enhanced: each figure[data-map] drawn by the server as SVG
// (templates/neighbourhoods/includes/map.html) becomes a Leaflet map built from the same data,
// its JSON block. The text alternative stays; the SVG is hidden. No background tiles unless the
// portal sets them (data-tiles-url), so by default the map asks nothing of any other host.
// User text goes into DOM nodes (textContent), never into innerHTML.
(function () {
  "use strict";
  if (!window.L || !document.querySelectorAll || !document.createElement("div").classList) {
    return;
  }

  function readData(figure) {
    var source = document.getElementById(figure.getAttribute("data-map-source"));
    if (!source) {
      return null;
    }
    try {
      return JSON.parse(source.textContent);
    } catch (error) {
      return null;
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function popupContent(label, url, detail) {
    var box = element("div", "map__popup");
    var title = element("p", "map__popup-title");
    if (url) {
      var link = element("a", "", label);
      link.href = url;
      title.appendChild(link);
    } else {
      title.textContent = label;
    }
    box.appendChild(title);
    if (detail) {
      box.appendChild(element("p", "", detail));
    }
    return box;
  }

  // Attribution is given to Leaflet as HTML: the portal's setting is shown as text.
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (character) {
      return "&#" + character.charCodeAt(0) + ";";
    });
  }

  // Leaflet's shapes are SVG paths the keyboard cannot reach: give them a role, a name and
  // the Enter and Space keys.
  function reachable(layer, role, name, activate) {
    var node = layer.getElement && layer.getElement();
    if (!node) {
      return;
    }
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", role);
    node.setAttribute("aria-label", name);
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        activate();
      }
    });
  }

  // A popup opened from the keyboard takes the focus on its link, Escape gives it back.
  function withPopup(layer, content) {
    layer.bindPopup(content);
    return function () {
      var opener = layer.getElement && layer.getElement();
      layer.openPopup();
      var popup = layer.getPopup().getElement();
      var link = popup && popup.querySelector(".map__popup a");
      if (link) {
        link.focus();
        link.addEventListener("keydown", function onKey(event) {
          if (event.key === "Escape") {
            link.removeEventListener("keydown", onKey);
            layer.closePopup();
            if (opener) {
              opener.focus();
            }
          }
        });
      }
    };
  }

  function areaClass(properties) {
    var kind = String(properties.kind || "qpv").replace(/[^a-z0-9_-]/gi, "");
    return "map__area map__area--" + kind + (properties.highlighted ? " map__area--highlighted" : "");
  }

  function addAreas(map, data) {
    var layers = [];
    L.geoJSON(data.areas, {
      style: function (feature) {
        return { className: areaClass(feature.properties) };
      },
      onEachFeature: function (feature, layer) {
        var properties = feature.properties;
        if (properties.labelled) {
          layer.bindTooltip(element("span", "", properties.label), {
            permanent: true,
            direction: "center",
            className: "map__leaflet-label",
          });
        } else {
          layer.bindTooltip(element("span", "", properties.label), { sticky: true });
        }
        if (properties.url) {
          layers.push([layer, properties, withPopup(layer, popupContent(properties.label, properties.url, ""))]);
        }
      },
    }).addTo(map);
    layers.forEach(function (entry) {
      reachable(entry[0], "button", entry[1].label, entry[2]);
    });
  }

  function addPoint(map, marker) {
    var layer = L.circleMarker([marker.lat, marker.lon], {
      radius: marker.radius,
      className: "map__point",
    });
    layer.bindTooltip(element("span", "", marker.label), { direction: "top" });
    var open = withPopup(layer, popupContent(marker.label, marker.url, marker.detail));
    layer.addTo(map);
    reachable(layer, "button", marker.label, open);
  }

  function addCluster(map, marker) {
    var size = Math.round(marker.radius * 2);
    var icon = L.divIcon({
      html: element("span", "", String(marker.count)),
      className: "map__cluster-icon",
      iconSize: [size, size],
    });
    var layer = L.marker([marker.lat, marker.lon], {
      icon: icon,
      keyboard: Boolean(marker.url),
      title: marker.label,
    });
    if (marker.url) {
      layer.on("click", function () {
        window.location.assign(marker.url);
      });
    }
    layer.addTo(map);
    var node = layer.getElement();
    node.setAttribute("role", marker.url ? "link" : "img");
    node.setAttribute("aria-label", marker.label);
  }

  function enhance(figure) {
    var data = readData(figure);
    var canvas = figure.querySelector(".map__canvas");
    if (!data || !canvas) {
      return;
    }
    var container = element("div", "map__leaflet");
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", data.title);
    // Through the CSSOM, which the Content Security Policy allows (a style="" it would not).
    container.style.aspectRatio = data.width + " / " + data.height;
    canvas.parentNode.insertBefore(container, canvas.nextSibling);
    figure.classList.add("map--enhanced");

    var map = L.map(container, {
      renderer: L.svg(),
      attributionControl: false,
      scrollWheelZoom: false,
      // Fractional zooms, so the map fits its bounds as closely as the drawing did.
      zoomSnap: 0.25,
      maxZoom: 18,
    });
    var bounds = data.bounds;
    map.fitBounds(
      [
        [bounds[1], bounds[0]],
        [bounds[3], bounds[2]],
      ],
      { padding: [20, 20] },
    );

    var tilesUrl = figure.getAttribute("data-tiles-url");
    var tilesAttribution = figure.getAttribute("data-tiles-attribution");
    if (tilesUrl && tilesAttribution) {
      L.control.attribution({ prefix: false }).addTo(map);
      L.tileLayer(tilesUrl, { attribution: escapeHtml(tilesAttribution), maxZoom: 18 }).addTo(map);
      var credit = figure.querySelector("[data-map-tiles-credit]");
      if (credit) {
        credit.hidden = false;
      }
    }

    addAreas(map, data);
    data.markers.forEach(function (marker) {
      if (marker.count > 1) {
        addCluster(map, marker);
      } else {
        addPoint(map, marker);
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("figure[data-map]"), enhance);
})();
