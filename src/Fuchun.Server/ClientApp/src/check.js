// A project's compliance report (政策规则核查): every rule's verdict with a sign and a word (not colour alone), the
// value against the threshold, and on demand the working: the paragraph quoted, the reading, the inputs and the
// parcels that cause a fail or warn. Every figure comes from /api/projects/{code}/check as it is.
import MVT from 'ol/format/MVT.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import { Fill, Stroke, Style } from 'ol/style.js';
import { ApiError, api, el, formatNumber, showError, t } from './common.js';
import { drawProjectMap } from './map.js';

const code = decodeURIComponent(location.pathname.split('/').slice(-2)[0]);
const base = `/api/projects/${encodeURIComponent(code)}`;
// Which after-layer the check reads: the planned one (plan review) or the as-built one (acceptance).
const layerParam = new URLSearchParams(location.search).get('layer') === 'parcels_as_built' ? 'parcels_as_built' : 'parcels_after';
const query = layerParam === 'parcels_as_built' ? '?layer=parcels_as_built' : '';
const SIGNS = { pass: '✔', warn: '⚠', fail: '✘', not_applicable: '—', insufficient_data: '？' };

function format(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit === 'ratio') return `${formatNumber(value * 100, 2)}%`;
  if (unit === 'm2') return t('analysis.mu', formatNumber(value / (10000 / 15), 2));
  return formatNumber(value, 0);
}

async function init() {
  document.getElementById('back').href = `/projects/${encodeURIComponent(code)}`;
  document.getElementById('back').textContent = t('analysis.back');
  document.getElementById('print').onclick = () => window.print();
  document.getElementById('xlsx').href = `${base}/check.xlsx${query}`;
  const page = `/projects/${encodeURIComponent(code)}/check`;
  document.getElementById('layer-planned').href = page;
  document.getElementById('layer-as-built').href = `${page}?layer=parcels_as_built`;
  document.getElementById(layerParam === 'parcels_as_built' ? 'layer-as-built' : 'layer-planned').setAttribute('aria-current', 'true');
  let project;
  let check;
  try {
    [project, check] = await Promise.all([api(base), api(`${base}/check${query}`)]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      showError(new Error(t('analysis.missing', error.message)));
      document.getElementById('check').dataset.ready = 'true';
      return;
    }
    throw error;
  }
  document.getElementById('project-name').textContent = project.name;
  document.title = `${t('check.title')} · ${project.name} · ${t('app.name')}`;
  document.getElementById('edition').textContent = t('check.edition', check.edition_title, check.edition);
  const counts = {};
  for (const r of check.rules) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  document.getElementById('summary').replaceChildren(...Object.entries(counts).map(([v, n]) =>
    el('span', { class: `verdict ${v}`, 'data-count': v }, `${SIGNS[v]} ${t(`verdict.${v}`)} ${n} `)));
  const body = document.querySelector('#rules tbody');
  body.replaceChildren(...check.rules.flatMap((r) => {
    const working = el('tr', { class: 'working', 'data-working': r.id, hidden: true }, el('td', { colspan: 6 }, el('dl', {},
      el('dt', {}, t('check.quote')), el('dd', {}, `${r.paragraph} “${r.quote}”`),
      el('dt', {}, t('check.reading')), el('dd', {}, r.reading),
      el('dt', {}, t('check.inputs')), el('dd', {}, r.inputs.join('、')),
      el('dt', {}, t('check.offenders')), el('dd', { 'data-offenders': r.id }, r.offenders.length ? r.offenders.join('、') : t('analysis.noFindings')))));
    const row = el('tr', { 'data-rule': r.id },
      el('td', {}, el('button', { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: (e) => {
        working.hidden = !working.hidden;
        e.target.setAttribute('aria-expanded', String(!working.hidden));
      } }, r.id), parcelsOf([r]).size ? el('button', { type: 'button', class: 'link no-print', 'data-show': r.id, onclick: () => highlight([r]) }, ` ${t('check.showOnMap')}`) : null),
      el('td', {}, r.paragraph),
      el('td', { class: `verdict ${r.verdict}`, 'data-verdict': r.verdict }, `${SIGNS[r.verdict]} ${t(`verdict.${r.verdict}`)}`),
      el('td', { class: 'num', 'data-col': 'value' }, format(r.value, r.unit)),
      el('td', { class: 'num', 'data-col': 'threshold' }, format(r.threshold, r.unit)),
      el('td', {}, r.detail));
    return [row, working];
  }));
  document.getElementById('check').dataset.ready = 'true';
  const [geojson, config, layers] = await Promise.all([api(`${base}/map`), api('/api/config'), api(`${base}/layers`)]);
  renderMap(geojson, config, layers, check.rules);
}

// The offending parcels of some rules, by layer: "parcels_after#12" → { parcels_after: Set{12} }.
function parcelsOf(rules) {
  const ids = new Map();
  for (const r of rules) {
    for (const o of r.offenders) {
      const [layer, id] = o.split('#');
      if (!layer.startsWith('parcels_') || !/^\d+$/.test(id)) continue;
      if (!ids.has(layer)) ids.set(layer, new Set());
      ids.get(layer).add(Number(id));
    }
  }
  return ids;
}

let highlight = () => {};

// The map: the project's parcels before and after, the offending ones filled red; one rule's at a time on demand.
function renderMap(geojson, config, layers, rules) {
  const map = drawProjectMap(document.getElementById('map'), geojson, config.tiandituKey);
  const failing = rules.filter((r) => r.verdict === 'fail' || r.verdict === 'warn');
  const state = { phase: 'parcels_after', shown: parcelsOf(failing) };
  const layerOf = { parcels_before: layers.find((l) => l.kind === 'parcels_before'), parcels_after: layers.find((l) => l.kind === layerParam) };
  // Drawn over the project area and zones: other parcels as thin outlines only, the offending ones filled.
  const plain = new Style({ stroke: new Stroke({ color: 'rgba(60,60,60,0.35)', width: 0.5 }) });
  const offending = new Style({ fill: new Fill({ color: 'rgba(220,38,38,0.55)' }), stroke: new Stroke({ color: '#991b1b', width: 1.6 }) });
  // Offending parcels are found by id: drawn only from the zoom whose tiles carry parcels one by one.
  const tileLayers = Object.fromEntries(Object.entries(layerOf).filter(([, l]) => l).map(([phase, l]) => {
    const layer = new VectorTileLayer({
      source: new VectorTileSource({ format: new MVT(), url: `/tiles/${l.id}/{z}/{x}/{y}.mvt`, maxZoom: 17 }),
      style: (f) => (state.shown.get(phase)?.has(f.get('id')) ? offending : plain), minZoom: l.parcelTilesMinZoom ?? 12, visible: phase === state.phase });
    map.addLayer(layer);
    return [phase, layer];
  }));
  const redraw = () => {
    for (const [phase, layer] of Object.entries(tileLayers)) { layer.setVisible(phase === state.phase); layer.changed(); }
    const count = [...state.shown.values()].reduce((n, set) => n + set.size, 0);
    document.getElementById('offender-count').textContent = t('check.offenderCount', count);
  };
  document.getElementById('phase-switch').replaceChildren(...[['parcels_before', t('analysis.phaseBefore')], ['parcels_after', t('analysis.phaseAfter')]].map(([value, text]) =>
    el('label', { class: 'check' }, el('input', { type: 'radio', name: 'phase', value, checked: state.phase === value, onchange: () => { state.phase = value; redraw(); } }), text)));
  highlight = (chosen) => {
    state.shown = parcelsOf(chosen);
    // Show the layer the chosen rules' parcels are in.
    if (!state.shown.has(state.phase) && state.shown.size) {
      state.phase = [...state.shown.keys()][0];
      for (const input of document.querySelectorAll('#phase-switch input')) input.checked = input.value === state.phase;
    }
    redraw();
    document.getElementById('map').scrollIntoView({ behavior: 'smooth', block: 'center' });
  };
  document.getElementById('all-offenders').onclick = () => highlight(failing);
  window.fuchunCheckState = state;
  redraw();
}

init().catch(showError);
