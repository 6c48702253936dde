// Parcel layers on the project map: vector tiles from /tiles/{layerId}/{z}/{x}/{y}.mvt, coloured by land class.
import MVT from 'ol/format/MVT.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import { Fill, Stroke, Style } from 'ol/style.js';
import { el, t } from './common.js';

// Colours by class group. PROVISIONAL: chosen for legibility (farmland yellows, gardens pink, forest greens,
// construction reds, water blues); the official 三调 symbology (TD/T 1055 图式) is still to be sourced and put here.
const GROUPS = [
  { key: '01', label: 'legend.farmland', color: '#f2dd4b', codes: { '0101': '#f5e35a', '0102': '#e8cf3a', '0103': '#f6ee9e' } },
  { key: '02', label: 'legend.garden', color: '#e7a1c8' },
  { key: '03', label: 'legend.forest', color: '#5ea85e', codes: { '0302': '#83c26a' } },
  { key: '04', label: 'legend.grass', color: '#bfe3a5' },
  { key: 'build', label: 'legend.construction', color: '#e08a80', codes: { '0601': '#b9504a', '0702': '#eba69d', '0701': '#de7f7f' } },
  { key: '10', label: 'legend.transport', color: '#a9a9a9' },
  { key: '11', label: 'legend.water', color: '#79aee0', codes: { '1107': '#93c0e6' } },
  { key: '12', label: 'legend.other', color: '#ddc9a3' },
];
const CONSTRUCTION = ['05', '06', '07', '08', '09'];

function colorOf(code) {
  const prefix = code.slice(0, 2);
  const group = GROUPS.find((g) => g.key === prefix) ?? (CONSTRUCTION.includes(prefix) ? GROUPS.find((g) => g.key === 'build') : null);
  if (!group) return '#cccccc';
  return group.codes?.[code.replace(/K$/, '')] ?? group.color;
}

const styles = new Map();
function styleOf(feature) {
  const code = feature.get('dlbm');
  const pbf = feature.get('pbf') === 1;
  const key = `${code}|${pbf}`;
  if (!styles.has(key)) {
    styles.set(key, new Style({
      fill: new Fill({ color: colorOf(code) }),
      stroke: new Stroke({ color: pbf ? '#2e7d32' : 'rgba(80,80,80,0.55)', width: pbf ? 1.4 : 0.5 }),
    }));
  }
  return styles.get(key);
}

/** Adds the parcel layers under the project outline, a switch between them, the legend and a click inspector. */
export function addParcelLayers(map, layers, landClasses, controls) {
  const names = Object.fromEntries(landClasses.map((c) => [c.code, c.name]));
  const parcelLayers = layers.filter((l) => l.kind.startsWith('parcels_')).map((l) => {
    const layer = new VectorTileLayer({
      source: new VectorTileSource({ format: new MVT(), url: `/tiles/${l.id}/{z}/{x}/{y}.mvt`, maxZoom: 17 }),
      style: styleOf,
      // Large layers are drawn from their generalised overviews at low zooms (tilesMinZoom 9), others from z12.
      minZoom: l.tilesMinZoom ?? 12,
      visible: false,
    });
    layer.set('kind', l.kind);
    map.getLayers().insertAt(map.getLayers().getLength() - 1, layer);
    return layer;
  });
  if (parcelLayers.length === 0) return;
  parcelLayers[0].setVisible(true);

  const choices = [...parcelLayers.map((layer) => ({ value: layer.get('kind'), label: t(`layer.${layer.get('kind')}`) })), { value: '', label: t('map.noParcels') }];
  controls.switcher.replaceChildren(...choices.map((c, i) => el('label', { class: 'check' },
    el('input', { type: 'radio', name: 'parcel-layer', value: c.value, checked: i === 0, onchange: () => {
      for (const layer of parcelLayers) layer.setVisible(layer.get('kind') === c.value);
    } }), c.label)));
  controls.legend.replaceChildren(...GROUPS.map((g) => el('li', {}, el('i', { class: 'swatch', style: `background:${g.color}` }), t(g.label))),
    el('li', {}, el('i', { class: 'swatch pbf' }), t('legend.pbf')));

  map.on('singleclick', (event) => {
    const feature = map.getFeaturesAtPixel(event.pixel, { layerFilter: (l) => parcelLayers.includes(l) })[0];
    if (!feature) { controls.inspector.hidden = true; return; }
    const code = feature.get('dlbm');
    controls.inspector.hidden = false;
    if (feature.get('generalised') === 1) {
      // An overview polygon: neighbouring parcels of one class dissolved for this zoom; no parcel's attributes.
      controls.inspector.replaceChildren(el('dl', { class: 'facts' },
        el('dt', {}, t('parcel.class')), el('dd', { 'data-parcel': 'dlbm' }, `${code} ${names[code] ?? ''}`)),
      el('p', { class: 'muted', 'data-parcel': 'generalised' }, t('parcel.generalised')));
      return;
    }
    controls.inspector.replaceChildren(el('dl', { class: 'facts' },
      el('dt', {}, t('parcel.class')), el('dd', { 'data-parcel': 'dlbm' }, `${code} ${names[code] ?? ''}`),
      el('dt', {}, t('parcel.pbf')), el('dd', {}, feature.get('pbf') === 1 ? t('list.yes') : t('list.no')),
      el('dt', {}, t('parcel.hsf')), el('dd', {}, feature.get('hsf') === 1 ? t('list.yes') : t('list.no'))));
  });
}
