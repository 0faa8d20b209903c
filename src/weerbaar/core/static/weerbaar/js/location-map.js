// The location map on the signal form: the municipality's outline (no map tiles, so it works
// without any outside server); a click sets the hidden latitude/longitude fields.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("location-map");
  if (!element || typeof L === "undefined") return;
  const lat = document.getElementById("id_latitude");
  const lon = document.getElementById("id_longitude");
  const label = document.getElementById("map-point");
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  map.setView([51.83, 4.69], 12);
  let marker = null;
  const place = (latlng) => {
    if (marker) marker.setLatLng(latlng);
    else marker = L.circleMarker(latlng, { radius: 8, color: "#b00020", weight: 3 }).addTo(map);
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    label.textContent = `Gekozen punt: ${lat.value}, ${lon.value}`;
  };
  if (lat.value && lon.value) place(L.latLng(Number(lat.value), Number(lon.value)));
  map.on("click", (event) => place(event.latlng));
  fetch(element.dataset.outlineUrl, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.features.length) {
        element.classList.add("wb-map--empty");
        label.textContent = "Er is nog geen kaart van uw gemeente geïmporteerd; vul het adres of gebied in.";
        return;
      }
      const outline = L.geoJSON(data, { style: { color: "#1a4480", weight: 2, fillOpacity: 0.08 } }).addTo(map);
      outline.on("click", (event) => place(event.latlng));
      map.fitBounds(outline.getBounds());
    });
});
