// A project's analysis (分析研判): land-use accounts, the transfer matrix (table and Sankey), the class groups
// before and after, "百千万" blocks on the map by tier, PBF layout-adjustment candidates and farmland fragmentation.
// Every figure comes from /api/projects/{code}/analysis as it is; the page only converts m² to 亩.
import GeoJSON from 'ol/format/GeoJSON.js';
import MVT from 'ol/format/MVT.js';
import Draw from 'ol/interaction/Draw.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import { Fill, Stroke, Style } from 'ol/style.js';
import * as echarts from 'echarts/core';
import { BarChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { ApiError, api, el, formatNumber, showError, t } from './common.js';
import { drawProjectMap } from './map.js';

echarts.use([BarChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const MU = 10000 / 15;
const mu = (m2) => formatNumber(m2 / MU, 2);
const ha = (m2) => formatNumber(m2 / 10000, 2);
const code = decodeURIComponent(location.pathname.split('/').slice(-2)[0]);
const base = `/api/projects/${encodeURIComponent(code)}`;
const TIER_COLORS = { 万亩方: '#1b5e20', 千亩方: '#43a047', 百亩方: '#a5d6a7', none: '#fde68a' };

async function init() {
  document.getElementById('back').href = `/projects/${encodeURIComponent(code)}`;
  document.getElementById('back').textContent = t('analysis.back');
  let project;
  let analysis;
  try {
    [project, analysis] = await Promise.all([api(base), api(`${base}/analysis`)]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      document.getElementById('project-name').textContent = code;
      showError(new Error(t('analysis.missing', error.message)));
      document.getElementById('analysis').dataset.ready = 'true';
      return;
    }
    throw error;
  }
  const [geojson, config, landClasses, layerList] = await Promise.all([api(`${base}/map`), api('/api/config'), api('/api/land-classes'), api(`${base}/layers`)]);
  const names = Object.fromEntries(landClasses.map((c) => [c.code, c.name]));
  document.getElementById('project-name').textContent = project.name;
  document.title = `${t('analysis.title')} · ${project.name} · ${t('app.name')}`;
  renderReading(analysis.reading);
  renderCards(analysis);
  renderAccounts(analysis, names);
  renderMatrix(analysis, names);
  renderBlocks(analysis);
  renderFindings(analysis);
  renderFragmentation(analysis);
  document.getElementById('analysis').dataset.ready = 'true';
  renderGroupChart(analysis);
  renderSankey(analysis, names);
  const parcelZoom = Object.fromEntries(layerList.map((l) => [l.id, l.parcelTilesMinZoom]));
  const map = renderMap(geojson, config, analysis, names, parcelZoom);
  setUpPolygon(map, names);
}

// A polygon drawn on the map or uploaded: its land-use account before and after, from the API.
function setUpPolygon(map, names) {
  const format = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
  const source = new VectorSource();
  map.addLayer(new VectorLayer({ source, style: new Style({ stroke: new Stroke({ color: '#7c3aed', width: 2.5 }), fill: new Fill({ color: 'rgba(124,58,237,0.12)' }) }) }));
  const result = document.getElementById('polygon-result');
  const account = async (geometry) => {
    result.className = '';
    result.textContent = '…';
    try {
      const a = await api(`${base}/analysis/accounts`, { method: 'POST', body: JSON.stringify(geometry) });
      renderPolygonAccount(result, a, names);
    } catch (error) {
      result.className = 'error';
      result.textContent = error.problem?.errors ? Object.values(error.problem.errors).flat().join('；') : error.message;
    }
  };
  let draw = null;
  document.getElementById('draw-polygon').onclick = () => {
    if (draw) return;
    source.clear();
    draw = new Draw({ source, type: 'Polygon' });
    draw.on('drawend', (event) => {
      map.removeInteraction(draw);
      draw = null;
      account(format.writeGeometryObject(event.feature.getGeometry()));
    });
    map.addInteraction(draw);
  };
  document.getElementById('polygon-file').onchange = async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const text = await file.text();
    source.clear();
    try {
      source.addFeatures(format.readFeatures(text));
      map.getView().fit(source.getExtent(), { padding: [30, 30, 30, 30], maxZoom: 17 });
    } catch { /* the API names what is wrong with it */ }
    let body;
    try { body = JSON.parse(text); } catch { body = text; }
    account(body);
    event.target.value = '';
  };
}

function renderPolygonAccount(target, a, names) {
  const rows = new Map();
  for (const c of a.before.classes) rows.set(c.code, { code: c.code, before: c.area_m2, after: 0 });
  for (const c of a.after.classes) rows.set(c.code, { ...(rows.get(c.code) ?? { code: c.code, before: 0 }), after: c.area_m2 });
  const list = [...rows.values()].sort((x, y) => x.code.localeCompare(y.code));
  target.className = 'ok';
  target.replaceChildren(
    el('p', { id: 'polygon-area' }, t('analysis.polygonArea', mu(a.area_m2))),
    list.length === 0 ? el('p', {}, t('analysis.polygonEmpty')) : el('table', { class: 'grid', id: 'polygon-account' },
      el('thead', {}, el('tr', {}, el('th', {}, t('analysis.code')), el('th', {}, t('analysis.className')), el('th', { class: 'num' }, t('analysis.beforeMu')), el('th', { class: 'num' }, t('analysis.afterMu')))),
      el('tbody', {}, ...list.map((r) => el('tr', { 'data-code': r.code }, el('td', {}, r.code), el('td', {}, names[r.code] ?? ''),
        el('td', { class: 'num', 'data-col': 'before' }, mu(r.before)), el('td', { class: 'num', 'data-col': 'after' }, mu(r.after))))),
      el('tfoot', {}, el('tr', { 'data-code': 'total' }, el('th', { colspan: 2 }, t('analysis.total')),
        el('td', { class: 'num', 'data-col': 'before' }, mu(a.before.total_m2)), el('td', { class: 'num', 'data-col': 'after' }, mu(a.after.total_m2))))));
}

function renderReading(reading) {
  const tiers = reading.tiers_mu;
  document.getElementById('reading').textContent = t('analysis.reading', reading.connectors.join('、'),
    (reading.chain_connectors ? t('analysis.chained') : '') + (reading.gap_tolerance_m > 0 ? t('analysis.gap', reading.gap_tolerance_m) : ''),
    formatNumber(tiers['万亩方'], 0), formatNumber(tiers['千亩方'], 0), formatNumber(tiers['百亩方'], 0));
}

function card(key, value, sub) {
  return el('div', { class: 'card', 'data-card': key }, el('div', { class: 'label' }, t(`analysis.card.${key}`)), el('div', { class: 'value' }, value), sub ? el('div', { class: 'sub' }, sub) : null);
}

function farmland(areas) {
  return ['0101', '0102', '0103'].reduce((s, c) => s + (areas[c] ?? 0), 0);
}

function renderCards(a) {
  const before = farmland(a.areas_m2.before);
  const after = farmland(a.areas_m2.after);
  const largest = a.blocks.pbf_after[0];
  const change = after - before;
  document.getElementById('cards').replaceChildren(
    card('area', t('analysis.mu', mu(a.project_area_m2)), t('analysis.ha', ha(a.project_area_m2))),
    card('farmland', t('analysis.mu', mu(after)), `${t('analysis.ha', ha(after))}，${t('analysis.card.farmlandChange', (change >= 0 ? '+' : '') + mu(change))}`),
    card('pbfLargest', largest ? t('analysis.mu', mu(largest.area_m2)) : '—', largest ? (largest.tier === 'none' ? t('analysis.noTier') : largest.tier) : null),
    card('patches', String(a.fragmentation.after.patches), t('analysis.card.patchesSub', a.fragmentation.before.patches)));
}

function renderAccounts(a, names) {
  const select = document.getElementById('scope');
  select.replaceChildren(...a.accounts.map((acc, i) => el('option', { value: String(i) }, i === 0 ? t('analysis.scopeProject') : `${acc.scope} ${acc.name}`)));
  const draw = () => {
    const acc = a.accounts[Number(select.value)];
    const classes = new Map();
    for (const c of acc.before.classes) classes.set(c.code, { ...c, before: c.area_m2, beforeCount: c.parcels, after: 0, afterCount: 0 });
    for (const c of acc.after.classes) {
      const row = classes.get(c.code) ?? { ...c, before: 0, beforeCount: 0 };
      classes.set(c.code, { ...row, after: c.area_m2, afterCount: c.parcels });
    }
    const rows = [...classes.values()].sort((x, y) => x.code.localeCompare(y.code));
    document.querySelector('#accounts tbody').replaceChildren(...rows.map((r) => el('tr', { 'data-code': r.code, class: r.adjustable ? 'muted' : null },
      el('td', {}, r.code), el('td', {}, names[r.code] ?? r.name), el('td', {}, r.group),
      el('td', { class: 'num', 'data-col': 'before' }, mu(r.before)), el('td', { class: 'num', 'data-col': 'after' }, mu(r.after)),
      el('td', { class: 'num' }, mu(r.after - r.before)), el('td', { class: 'num' }, r.beforeCount), el('td', { class: 'num' }, r.afterCount))));
    document.querySelector('#accounts tfoot').replaceChildren(
      el('tr', { 'data-code': 'total' }, el('th', { colspan: 3 }, t('analysis.total')),
        el('td', { class: 'num', 'data-col': 'before' }, mu(acc.before.total_m2)), el('td', { class: 'num', 'data-col': 'after' }, mu(acc.after.total_m2)),
        el('td', { class: 'num' }, mu(acc.after.total_m2 - acc.before.total_m2)), el('td', { class: 'num' }, acc.before.parcels), el('td', { class: 'num' }, acc.after.parcels)),
      el('tr', { 'data-code': 'total-ha' }, el('th', { colspan: 3 }, t('analysis.totalHa')),
        el('td', { class: 'num', 'data-col': 'before' }, ha(acc.before.total_m2)), el('td', { class: 'num', 'data-col': 'after' }, ha(acc.after.total_m2)),
        el('td', { class: 'num' }, ha(acc.after.total_m2 - acc.before.total_m2)), el('td', {}), el('td', {})),
      el('tr', {}, el('th', { colspan: 3 }, t('analysis.adjustable')),
        el('td', { class: 'num' }, mu(acc.before.adjustable_m2)), el('td', { class: 'num' }, mu(acc.after.adjustable_m2)), el('td', {}), el('td', {}), el('td', {})));
  };
  select.onchange = draw;
  draw();
}

function renderMatrix(a, names) {
  const from = [...new Set(a.transfer_m2.map((c) => c.from))].sort();
  const to = [...new Set(a.transfer_m2.map((c) => c.to))].sort();
  const cell = new Map(a.transfer_m2.map((c) => [`${c.from}|${c.to}`, c.area_m2]));
  const head = el('tr', {}, el('th', {}, t('analysis.matrixFrom')), ...to.map((c) => el('th', { class: 'num', title: names[c] ?? '' }, c)), el('th', { class: 'num total' }, t('analysis.total')));
  const rows = from.map((f) => el('tr', { 'data-from': f }, el('th', { title: names[f] ?? '' }, `${f} ${names[f] ?? ''}`),
    ...to.map((c) => { const v = cell.get(`${f}|${c}`); return el('td', { class: `num${f === c ? ' diag' : ''}`, 'data-to': c }, v ? mu(v) : ''); }),
    el('td', { class: 'num total' }, mu(to.reduce((s, c) => s + (cell.get(`${f}|${c}`) ?? 0), 0)))));
  const totals = el('tr', {}, el('th', {}, t('analysis.total')), ...to.map((c) => el('td', { class: 'num total' }, mu(from.reduce((s, f) => s + (cell.get(`${f}|${c}`) ?? 0), 0)))), el('td', {}));
  document.getElementById('matrix').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows, totals));
  document.querySelector('#changes tbody').replaceChildren(...a.changes_m2.map((c) => el('tr', { 'data-group': c.group },
    el('td', {}, c.group), el('td', { class: 'num' }, mu(c.gain)), el('td', { class: 'num' }, mu(c.loss)), el('td', { class: 'num' }, mu(c.net)))));
}

function renderBlocks(a) {
  document.querySelector('#blocks tbody').replaceChildren(...Object.entries(a.blocks).map(([set, blocks]) => {
    const tiers = ['万亩方', '千亩方', '百亩方'].map((tier) => [tier, blocks.filter((b) => b.tier === tier).length]).filter(([, n]) => n > 0);
    return el('tr', { 'data-set': set }, el('td', {}, t(`analysis.set.${set}`)), el('td', { class: 'num' }, blocks.length),
      el('td', { class: 'num' }, blocks.length ? mu(blocks[0].area_m2) : '—'),
      el('td', {}, tiers.length ? tiers.map(([tier, n]) => `${tier} ${n}`).join('，') : t('analysis.noTier')));
  }));
}

function renderFindings(a) {
  const body = document.querySelector('#findings tbody');
  if (a.pbf_findings.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 5 }, t('analysis.noFindings'))));
    return;
  }
  body.replaceChildren(...a.pbf_findings.map((f) => el('tr', { 'data-kind': f.kind },
    el('td', {}, f.layer === 'parcels_before' ? t('analysis.phaseBefore') : t('analysis.phaseAfter')),
    el('td', { class: 'finding' }, t(`analysis.kind.${f.kind}`)),
    el('td', {}, f.parcels.length > 5 ? t('analysis.parcelsAndMore', f.parcels.slice(0, 5).join('、'), f.parcels.length) : f.parcels.join('、')),
    el('td', { class: 'num' }, mu(f.area_m2)), el('td', { class: 'num' }, mu(f.inside_m2)))));
}

function renderFragmentation(a) {
  const b = a.fragmentation.before;
  const f = a.fragmentation.after;
  const rows = [
    ['patches', b.patches, f.patches],
    ['mean', mu(b.mean_patch_m2), mu(f.mean_patch_m2)],
    ['largest', mu(b.largest_patch_m2), mu(f.largest_patch_m2)],
    ['share', `${formatNumber(b.share_in_blocks_of_100_mu * 100, 1)}%`, `${formatNumber(f.share_in_blocks_of_100_mu * 100, 1)}%`],
    ['scattered', b.scattered_patches_under_5_mu, f.scattered_patches_under_5_mu],
  ];
  document.querySelector('#fragmentation tbody').replaceChildren(...rows.map(([k, x, y]) => el('tr', { 'data-indicator': k },
    el('td', {}, t(`analysis.frag.${k}`)), el('td', { class: 'num' }, x), el('td', { class: 'num' }, y))));
}

function chart(id, option) {
  const target = document.getElementById(id);
  const instance = echarts.init(target, null, { renderer: 'canvas' });
  instance.on('finished', () => { target.dataset.rendered = 'true'; });
  instance.setOption({ animation: false, ...option });
  window.addEventListener('resize', () => instance.resize());
  return instance;
}

function renderGroupChart(a) {
  const project = a.accounts[0];
  const groups = [...new Set([...Object.keys(project.before.groups_m2), ...Object.keys(project.after.groups_m2)])].sort();
  const values = (layer) => groups.map((g) => Number(((layer.groups_m2[g] ?? 0) / MU).toFixed(2)));
  chart('group-chart', {
    tooltip: { trigger: 'axis' },
    legend: { data: [t('analysis.before'), t('analysis.after')] },
    grid: { left: 60, right: 20, bottom: 80 },
    xAxis: { type: 'category', data: groups, axisLabel: { rotate: 35 } },
    yAxis: { type: 'value', name: t('unit.mu') },
    series: [
      { name: t('analysis.before'), type: 'bar', data: values(project.before), itemStyle: { color: '#94a3b8' } },
      { name: t('analysis.after'), type: 'bar', data: values(project.after), itemStyle: { color: '#2563eb' } },
    ],
  });
}

function renderSankey(a, names) {
  const label = (c) => `${c} ${names[c] ?? ''}`;
  const links = a.transfer_m2.filter((c) => c.area_m2 / MU >= 0.01).map((c) => ({
    source: t('analysis.sankeyBefore', label(c.from)), target: t('analysis.sankeyAfter', label(c.to)), value: Number((c.area_m2 / MU).toFixed(2)) }));
  const nodes = [...new Set(links.flatMap((l) => [l.source, l.target]))].map((name) => ({ name }));
  chart('sankey', {
    tooltip: { trigger: 'item', valueFormatter: (v) => t('analysis.mu', formatNumber(v, 2)) },
    series: [{ type: 'sankey', data: nodes, links, nodeAlign: 'justify', emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', curveness: 0.5 }, label: { fontSize: 11 } }],
  });
}

function renderMap(geojson, config, a, names, parcelZoom = {}) {
  const map = drawProjectMap(document.getElementById('map'), geojson, config.tiandituKey);
  const state = { phase: 'after', set: 'pbf' };
  const flagged = new Map();
  for (const f of a.pbf_findings) for (const id of f.parcels) flagged.set(`${f.layer}|${id}`, f.kind);
  const tiers = {};
  for (const [set, blocks] of Object.entries(a.blocks)) {
    const byId = new Map();
    blocks.forEach((b) => { for (const id of b.parcel_ids) byId.set(id, b.tier); });
    tiers[set] = byId;
  }
  const outside = new Style({ fill: new Fill({ color: 'rgba(255,255,255,0.35)' }), stroke: new Stroke({ color: 'rgba(80,80,80,0.35)', width: 0.5 }) });
  const cache = new Map();
  const style = (layerName) => (feature) => {
    const tier = tiers[`${state.set}_${state.phase}`].get(feature.get('id'));
    const finding = flagged.get(`${layerName}|${feature.get('id')}`);
    if (!tier && !finding) return outside;
    const key = `${tier}|${finding ? 1 : 0}`;
    if (!cache.has(key)) {
      cache.set(key, new Style({
        fill: new Fill({ color: tier ? TIER_COLORS[tier] : 'rgba(255,255,255,0.35)' }),
        stroke: finding ? new Stroke({ color: '#dc2626', width: 2.2 }) : new Stroke({ color: 'rgba(40,40,40,0.45)', width: 0.6 }),
      }));
    }
    return cache.get(key);
  };
  const layers = { before: a.layers.parcels_before, after: a.layers.parcels_after };
  const tileLayers = Object.fromEntries(Object.entries(layers).map(([phase, id]) => {
    const layer = new VectorTileLayer({
      source: new VectorTileSource({ format: new MVT(), url: `/tiles/${id}/{z}/{x}/{y}.mvt`, maxZoom: 17 }),
      // Blocks are coloured by parcel id: drawn only from the zoom whose tiles carry parcels one by one.
      style: style(phase === 'before' ? 'parcels_before' : 'parcels_after'), minZoom: parcelZoom[id] ?? 12, visible: phase === state.phase });
    map.getLayers().insertAt(map.getLayers().getLength() - 1, layer);
    return [phase, layer];
  }));
  const redraw = () => {
    for (const [phase, layer] of Object.entries(tileLayers)) { layer.setVisible(phase === state.phase); layer.changed(); }
  };
  const radios = (id, name, choices, key) => document.getElementById(id).replaceChildren(...choices.map(([value, text]) => el('label', { class: 'check' },
    el('input', { type: 'radio', name, value, checked: state[key] === value, onchange: () => { state[key] = value; redraw(); } }), text)));
  radios('phase-switch', 'phase', [['before', t('analysis.phaseBefore')], ['after', t('analysis.phaseAfter')]], 'phase');
  radios('set-switch', 'set', [['pbf', t('analysis.setPbf')], ['farmland', t('analysis.setFarmland')]], 'set');
  document.getElementById('tier-legend').replaceChildren(
    ...Object.entries(TIER_COLORS).map(([tier, color]) => el('li', {}, el('i', { class: 'swatch', style: `background:${color}` }), tier === 'none' ? t('analysis.tierNone') : tier)),
    el('li', {}, el('i', { class: 'swatch', style: 'background:#fff;border:1px solid #999' }), t('analysis.outside')),
    el('li', {}, el('i', { class: 'swatch', style: 'background:#fff;border:2px solid #dc2626' }), t('analysis.findingLegend')));
  const inspector = document.getElementById('parcel-inspector');
  map.on('singleclick', (event) => {
    const feature = map.getFeaturesAtPixel(event.pixel, { layerFilter: (l) => l === tileLayers[state.phase] })[0];
    if (!feature) { inspector.hidden = true; return; }
    const id = feature.get('id');
    const tier = tiers[`${state.set}_${state.phase}`].get(id);
    inspector.hidden = false;
    inspector.replaceChildren(el('dl', { class: 'facts' },
      el('dt', {}, t('parcel.class')), el('dd', {}, `${feature.get('dlbm')} ${names[feature.get('dlbm')] ?? ''}`),
      el('dt', {}, t('analysis.blockSet')), el('dd', {}, tier ? (tier === 'none' ? t('analysis.tierNone') : tier) : t('analysis.outside'))));
  });
  return map;
}

init().catch(showError);
