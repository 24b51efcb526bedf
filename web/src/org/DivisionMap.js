// The outlines of a division and its children on a blank Leaflet map. There
// are no base tiles: the console must work offline in a township office, so
// the shapes themselves are the map. Clicking a child selects it. Leaflet is
// imported when the first map is shown, not with the rest of the console.
import { onBeforeUnmount, onMounted, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { notifyError } from '../feedback.js';
import { render } from './DivisionMap.render.js';

// Same hues as the level tags in the tree.
const levelColours = { county: '#409eff', township: '#67c23a', village: '#e6a23c', grid: '#f56c6c' };
// Above this many children, names only show on hover to keep the map legible.
const MAX_PERMANENT_LABELS = 40;

function featureStyle(selectedCode) {
  return (feature) => {
    const colour = levelColours[feature.properties.level] || '#909399';
    const isSelected = feature.properties.code === selectedCode;
    return {
      color: isSelected ? '#1d5fbf' : colour,
      weight: isSelected ? 3 : 1.5,
      fillColor: colour,
      fillOpacity: isSelected ? 0.04 : 0.18,
      dashArray: isSelected ? '6 4' : null,
    };
  };
}

export default {
  name: 'DivisionMap',
  props: {
    code: { type: String, required: true },
    revision: { type: Number, default: 0 }, // bumped by the page after an edit
    lat: { type: Number, default: null },
    lng: { type: Number, default: null },
  },
  emits: ['select'],
  setup(props, { emit }) {
    const mapEl = ref(null);
    const empty = ref(false);
    const loading = ref(false);
    let L = null;
    let map = null;
    let layer = null;
    let resizeObserver = null;
    let generation = 0;

    // Views are set without animation: a map removed mid-animation (the
    // user leaves the page at once) makes Leaflet throw on its next frame.
    function drawFeatures(collection) {
      const features = collection.features || [];
      const permanent = features.length <= MAX_PERMANENT_LABELS;
      layer = L.geoJSON(collection, {
        style: featureStyle(props.code),
        onEachFeature: (feature, shape) => {
          const { code, name } = feature.properties;
          const isChild = code !== props.code;
          shape.bindTooltip(name, {
            permanent: permanent && isChild, direction: 'center', className: 'map-label',
          });
          if (isChild)
            shape.on('click', () => emit('select', code));
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [16, 16], animate: false });
    }

    function drawPoint() {
      layer = L.circleMarker([props.lat, props.lng], { radius: 8, color: '#1d5fbf', fillOpacity: 0.6 }).addTo(map);
      map.setView([props.lat, props.lng], 13, { animate: false });
    }

    async function draw() {
      const mine = ++generation;
      loading.value = true;
      try {
        const collection = await api.get(`/divisions/${encodeURIComponent(props.code)}/outlines`);
        if (mine !== generation || !map)
          return;
        if (layer)
          layer.remove();
        layer = null;
        const hasShapes = collection && collection.features && collection.features.length > 0;
        if (hasShapes)
          drawFeatures(collection);
        else if (props.lat !== null && props.lng !== null)
          drawPoint();
        empty.value = !hasShapes && props.lat === null;
      } catch (err) {
        if (mine === generation)
          notifyError(err);
      } finally {
        if (mine === generation)
          loading.value = false;
      }
    }

    onMounted(async () => {
      L = await import('../../vendor/leaflet.js');
      if (!mapEl.value)
        return; // unmounted while Leaflet was loading
      map = L.map(mapEl.value, { attributionControl: false, zoomSnap: 0.25, center: [35, 105], zoom: 4 });
      // The page layout (menu collapse, phone rotation) resizes the map box.
      resizeObserver = new ResizeObserver(() => map && map.invalidateSize());
      resizeObserver.observe(mapEl.value);
      draw();
    });
    onBeforeUnmount(() => {
      generation++;
      if (resizeObserver)
        resizeObserver.disconnect();
      if (map) {
        map.stop();
        map.remove();
      }
      map = null;
    });
    watch(() => [props.code, props.revision, props.lat, props.lng], draw);

    return { mapEl, empty, loading };
  },
  render,
};
