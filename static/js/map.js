// Leaflet maps of civic: placing an idea (proposal form) and showing a call's ideas.
// Without JavaScript the address field and the list of places still work.
(function () {
  function baseMap(element) {
    var centre = JSON.parse(element.dataset.centre);
    var map = L.map(element).setView([centre.lat, centre.lon], centre.zoom);
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
    return map;
  }

  var picker = document.getElementById("idea-map");
  if (picker) {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    var map = baseMap(picker);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
    }
    if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); map.setView(marker.getLatLng(), 16); }
    map.on("click", function (event) { place(event.latlng); });
  }

  var overview = document.getElementById("ideas-map");
  if (overview) {
    var map2 = baseMap(overview);
    var ideas = JSON.parse(document.getElementById("ideas-map-data").textContent);
    var bounds = [];
    ideas.forEach(function (idea) {
      var link = document.createElement("a");
      link.href = idea.url;
      link.textContent = idea.title;
      L.marker([idea.lat, idea.lon], { title: idea.title }).addTo(map2).bindPopup(link);
      bounds.push([idea.lat, idea.lon]);
    });
    if (bounds.length) { map2.fitBounds(bounds, { maxZoom: 15, padding: [20, 20] }); }
  }
})();
