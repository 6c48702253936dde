// A project's page: facts, zones, lifecycle actions, layers, history, and the map.
import { ApiError, api, el, formatNumber, showError, t } from './common.js';
import { drawProjectMap } from './map.js';
import { addParcelLayers } from './parcels.js';

const code = decodeURIComponent(location.pathname.split('/').pop());
const base = `/api/projects/${encodeURIComponent(code)}`;

async function init() {
  let project;
  try {
    project = await api(base);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      document.getElementById('project-name').textContent = t('project.notFound');
      return;
    }
    throw error;
  }
  renderProject(project);
  const [geojson, config, layers, history, stages, landClasses] = await Promise.all([
    api(`${base}/map`), api('/api/config'), api(`${base}/layers`), api(`${base}/history`), api('/api/stages'), api('/api/land-classes')]);
  const map = drawProjectMap(document.getElementById('map'), geojson, config.tiandituKey);
  addParcelLayers(map, layers, landClasses, {
    switcher: document.getElementById('parcel-switch'),
    legend: document.getElementById('parcel-legend'),
    inspector: document.getElementById('parcel-inspector'),
  });
  renderLayers(layers);
  renderHistory(history);
  renderLifecycle(project, stages);
}

function renderProject(p) {
  document.title = `${p.name} · ${t('app.name')}`;
  document.getElementById('project-name').textContent = p.name;
  document.getElementById('project-code').textContent = p.code;
  const stage = document.getElementById('project-stage');
  stage.textContent = p.stageName;
  stage.className = `badge stage s-${p.stage}`;
  document.getElementById('project-pilot').hidden = !p.isPilot;
  document.getElementById('edit').href = `/projects/${encodeURIComponent(p.code)}/edit`;
  const facts = [
    ['col.district', p.districtName],
    ['project.townships', p.townships.map((tw) => tw.name).join('、')],
    ['project.area', p.areaM2 > 0 ? t('project.areaValue', formatNumber(p.areaMu, 2), formatNumber(p.areaHectares, 2)) : t('project.noArea')],
    ['project.approvedOn', p.approvedOn ?? '—'],
    ['project.plannedStart', p.plannedStart ?? '—'],
    ['project.plannedCompletion', p.plannedCompletion ?? '—'],
    ['project.investmentMode', t(`mode.${p.investmentMode}`)],
    ['project.fundingSources', p.fundingSources.map((f) => t(`fund.${f}`)).join('、') || '—'],
    ['project.investment', p.plannedInvestmentWanYuan == null ? '—' : t('project.wanYuan', formatNumber(p.plannedInvestmentWanYuan, 1))],
  ];
  document.getElementById('facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { 'data-fact': k }, v)]));
  document.querySelector('#zones tbody').replaceChildren(...p.zones.map((z) =>
    el('tr', {}, el('td', {}, z.zoneId), el('td', {}, z.name), el('td', { class: 'num' }, formatNumber(z.areaMu, 2)))));
}

function renderLayers(layers) {
  const body = document.querySelector('#layers tbody');
  body.replaceChildren(...layers.map((l) => el('tr', {},
    el('td', {}, t(`layer.${l.kind}`)), el('td', { class: 'num' }, l.featureCount.toLocaleString('zh-CN')), el('td', { class: 'num' }, formatNumber(l.areaMu, 2)))));
  if (layers.length === 0) body.append(el('tr', {}, el('td', { colspan: 3, class: 'muted' }, t('project.noLayers'))));
}

function renderHistory(history) {
  document.getElementById('history').replaceChildren(...[...history].reverse().map((h) => {
    let what = t(`history.${h.kind}`);
    if (h.kind === 'StageChanged') what += `：${t(`stage.${h.before.stage}`)} → ${t(`stage.${h.after.stage}`)}`;
    return el('li', {}, el('time', {}, new Date(h.at).toLocaleString('zh-CN')), ' ', el('strong', {}, what), ' · ', h.actor, h.comment ? `（${h.comment}）` : '');
  }));
}

function renderLifecycle(project, stages) {
  document.getElementById('lifecycle').replaceChildren(...stages.map((s) =>
    el('li', { class: s.stage === project.stage ? 'current' : s.order < stages.find((x) => x.stage === project.stage).order ? 'done' : '' }, s.name)));
  const advance = document.getElementById('advance');
  const back = document.getElementById('send-back');
  advance.hidden = !project.nextStage;
  back.hidden = !project.previousStage;
  if (project.nextStage) advance.textContent = t('project.advance', t(`stage.${project.nextStage}`));
  if (project.previousStage) back.textContent = t('project.sendBack', t(`stage.${project.previousStage}`));
  advance.onclick = () => move(project.nextStage);
  back.onclick = () => move(project.previousStage);
}

async function move(target) {
  const error = document.getElementById('stage-error');
  error.textContent = '';
  try {
    await api(`${base}/stage`, { method: 'POST', body: JSON.stringify({ target, comment: document.getElementById('stage-comment').value || null }) });
    location.reload();
  } catch (e) {
    error.textContent = e.problem?.errors ? Object.values(e.problem.errors).flat().join(' ') : e.message;
  }
}

init().catch(showError);
