// The project map: OpenLayers, bundled at build time. Without a 天地图 key there is no online base map at all:
// the district, project area and zones are drawn on a plain background.
import 'ol/ol.css';
import Map from 'ol/Map.js';
import View from 'ol/View.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import TileLayer from 'ol/layer/Tile.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import XYZ from 'ol/source/XYZ.js';
import { Fill, Stroke, Style, Text } from 'ol/style.js';
import { ScaleLine, defaults as defaultControls } from 'ol/control.js';

const STYLES = {
  district: new Style({ stroke: new Stroke({ color: '#6b7280', width: 1.5, lineDash: [6, 4] }), fill: new Fill({ color: 'rgba(243,244,246,0.6)' }) }),
  project_area: new Style({ stroke: new Stroke({ color: '#1d4ed8', width: 2.5 }), fill: new Fill({ color: 'rgba(29,78,216,0.10)' }) }),
  zone: (feature) => new Style({
    stroke: new Stroke({ color: '#b45309', width: 2 }),
    fill: new Fill({ color: 'rgba(245,158,11,0.35)' }),
    text: new Text({ text: feature.get('name') ?? '', font: '13px sans-serif', fill: new Fill({ color: '#78350f' }), stroke: new Stroke({ color: '#fff', width: 3 }) }),
  }),
};

function tianditu(layer, key) {
  // CGCS2000 and WGS 84 differ by centimetres at this scale; the web-mercator tiles are the 天地图 "_w" sets.
  return new TileLayer({ source: new XYZ({ url: `https://t{0-7}.tianditu.gov.cn/DataServer?T=${layer}_w&x={x}&y={y}&l={z}&tk=${key}`, maxZoom: 18 }) });
}

/**
 * Draws the project's map into target from its GeoJSON (CGCS2000 longitude/latitude). Marks the target
 * data-rendered="true" once the first full render is done.
 */
export function drawProjectMap(target, featureCollection, tiandituKey) {
  const format = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
  const features = format.readFeatures(featureCollection);
  const order = { district: 0, project_area: 1, zone: 2 };
  features.sort((a, b) => order[a.get('role')] - order[b.get('role')]);
  const source = new VectorSource({ features });
  const vectors = new VectorLayer({
    source,
    style: (f) => { const s = STYLES[f.get('role')]; return typeof s === 'function' ? s(f) : s; },
  });
  const layers = tiandituKey ? [tianditu('vec', tiandituKey), tianditu('cva', tiandituKey), vectors] : [vectors];
  const map = new Map({ target, layers, view: new View({ center: [13358338, 3503549], zoom: 9 }), controls: defaultControls().extend([new ScaleLine()]) });
  const focus = features.find((f) => f.get('role') === 'project_area') ?? features[0];
  if (focus) map.getView().fit(focus.getGeometry().getExtent(), { padding: [30, 30, 30, 30], maxZoom: 16 });
  map.once('rendercomplete', () => { target.dataset.rendered = 'true'; });
  window.fuchunMap = map;
  return map;
}
