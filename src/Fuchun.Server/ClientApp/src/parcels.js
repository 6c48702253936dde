// Parcel layers on the project map: vector tiles from /tiles/{layerId}/{z}/{x}/{y}.mvt, coloured by land class.
import MVT from 'ol/format/MVT.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import { Fill, Stroke, Style } from 'ol/style.js';
import { el, t } from './common.js';

// Each class is filled with its colour on the 三调 land-use map, as /api/land-classes gives it (the server's
// data/reference/land-class-colours.csv, where the colours' provenance is stated); unknown codes are grey.
const UNKNOWN = '#cccccc';

function styler(colours) {
  const styles = new Map();
  return (feature) => {
    const code = feature.get('dlbm');
    const pbf = feature.get('pbf') === 1;
    const key = `${code}|${pbf}`;
    if (!styles.has(key)) {
      styles.set(key, new Style({
        fill: new Fill({ color: colours[code] ?? UNKNOWN }),
        stroke: new Stroke({ color: pbf ? '#2e7d32' : 'rgba(80,80,80,0.55)', width: pbf ? 1.4 : 0.5 }),
      }));
    }
    return styles.get(key);
  };
}

/** The legend: each class group (一级类) with its classes' swatches; 可调整 (K) classes share their base class's colour. */
function legendItems(landClasses) {
  const groups = new Map();
  for (const c of landClasses.filter((c) => !c.isAdjustable)) {
    if (!groups.has(c.group)) groups.set(c.group, []);
    groups.get(c.group).push(c);
  }
  return [...groups].map(([group, classes]) => el('li', { 'data-group': group }, el('b', {}, group),
    el('span', { class: 'classes' }, ...classes.map((c) => el('span', { class: 'class', 'data-code': c.code, title: c.code },
      el('i', { class: 'swatch', style: `background:${c.colour}` }), c.name)))));
}

/** Adds the parcel layers under the project outline, a switch between them, the legend and a click inspector. */
export function addParcelLayers(map, layers, landClasses, controls) {
  const names = Object.fromEntries(landClasses.map((c) => [c.code, c.name]));
  const styleOf = styler(Object.fromEntries(landClasses.map((c) => [c.code, c.colour])));
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
  controls.legend.closest('details').hidden = false;
  controls.legend.replaceChildren(...legendItems(landClasses),
    el('li', { class: 'note' }, el('i', { class: 'swatch pbf' }), t('legend.pbf'), ' · ', t('legend.adjustable')));

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
