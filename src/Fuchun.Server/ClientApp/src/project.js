// A project's page: facts, zones, lifecycle actions, layers, history, and the map.
import { ApiError, api, el, formatNumber, problemLines, session, showError, submitFile, t } from './common.js';
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
  setUpUpload();
  renderHistory(history);
  const me = await session();
  renderLifecycle(project, stages, me);
  await setUpDocuments(me);
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
  document.getElementById('analysis-link').href = `/projects/${encodeURIComponent(p.code)}/analysis`;
  document.getElementById('check-link').href = `/projects/${encodeURIComponent(p.code)}/check`;
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
    ['project.provincialApproval', p.provincialApproval
      ? t('project.provincialApprovalValue', p.provincialApproval.documentNumber, p.provincialApproval.approvedOn, p.provincialApproval.recordedBy) : '—'],
  ];
  document.getElementById('facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { 'data-fact': k }, v)]));
  document.querySelector('#zones tbody').replaceChildren(...p.zones.map((z) =>
    el('tr', {}, el('td', {}, z.zoneId), el('td', {}, z.name), el('td', { class: 'num' }, formatNumber(z.areaMu, 2)))));
}

const parcelKinds = ['parcels_before', 'parcels_after', 'parcels_as_built'];

function downloads(kind) {
  if (!parcelKinds.includes(kind)) return [];
  const link = (format, label) => el('a', { href: `${base}/layers/${kind}/export?format=${format}${format === 'shp' ? '&gbk=true' : ''}`, download: '' }, label);
  return [link('gpkg', 'GeoPackage'), ' · ', link('shp', 'Shapefile'), ' · ', link('geojson', 'GeoJSON')];
}

function renderLayers(layers) {
  // The whole project as a package: a GeoPackage, the folder form zipped, and at acceptance the as-built package.
  const kinds = new Set(layers.map((l) => l.kind));
  const canExport = kinds.has('parcels_before') && kinds.has('parcels_after');
  for (const id of ['package-gpkg', 'package-zip']) document.getElementById(id).hidden = !canExport;
  document.getElementById('package-gpkg').href = `${base}/package?format=gpkg`;
  document.getElementById('package-zip').href = `${base}/package?format=zip`;
  const asBuilt = document.getElementById('package-as-built');
  document.getElementById('package-as-built-item').hidden = !(kinds.has('parcels_before') && kinds.has('parcels_as_built'));
  asBuilt.href = `${base}/package?format=gpkg&layer=parcels_as_built`;
  const body = document.querySelector('#layers tbody');
  body.replaceChildren(...layers.map((l) => el('tr', { 'data-kind': l.kind },
    el('td', {}, t(`layer.${l.kind}`)), el('td', { class: 'num' }, l.featureCount.toLocaleString('zh-CN')), el('td', { class: 'num' }, formatNumber(l.areaMu, 2)),
    el('td', {}, downloads(l.kind)))));
  if (layers.length === 0) body.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, t('project.noLayers'))));
}

function setUpUpload() {
  const form = document.getElementById('layer-upload');
  const result = document.getElementById('upload-result');
  document.getElementById('upload-kind').replaceChildren(...parcelKinds.map((k) => el('option', { value: k }, t(`layer.${k}`))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const kind = data.get('kind');
    data.delete('kind');
    await submitFile({
      url: `${base}/layers/${kind}`, data, button: document.getElementById('upload-submit'), result, failedKey: 'upload.failed',
      onOk: async (body) => {
        result.replaceChildren(t('upload.done', body.featureCount.toLocaleString('zh-CN'), formatNumber(body.areaMu, 2)));
        renderLayers(await api(`${base}/layers`));
      },
    });
  });
}

/** The project's documents, what its next move still needs, and (for those who decide its stages) the upload form. */
async function renderDocuments() {
  const docs = await api(`${base}/documents`);
  const required = document.getElementById('documents-required');
  required.hidden = docs.requiredForNext.length === 0;
  required.replaceChildren(...docs.requiredForNext.map((r) => el('li', { class: r.filed ? 'ok' : 'missing', 'data-kind': r.kind, title: r.basis },
    t(r.filed ? 'documents.filed' : 'documents.missing', r.name, t(`stage.${r.to}`)))));
  document.querySelector('#documents tbody').replaceChildren(...docs.items.map((d) => el('tr', { 'data-kind': d.kind },
    el('td', {}, d.kindName),
    el('td', {}, el('a', { href: `${base}/documents/${d.id}`, download: d.fileName }, d.fileName)),
    el('td', {}, d.stageName), el('td', {}, d.uploadedBy), el('td', {}, new Date(d.uploadedAt).toLocaleString('zh-CN')))));
  document.getElementById('documents-empty').hidden = docs.items.length > 0;
  return docs;
}

/** The city bureau records the province's approval of a PBF adjustment (paragraph (十)); its document goes on file first. */
function setUpProvincialApproval(me) {
  const form = document.getElementById('provincial-form');
  if (!me.roles.includes('city_bureau')) return;
  form.hidden = false;
  const result = document.getElementById('provincial-result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const project = await api(`${base}/provincial-approval`, { method: 'POST', body: JSON.stringify({
        approvedOn: document.getElementById('provincial-date').value, documentNumber: document.getElementById('provincial-number').value }) });
      renderProject(project);
      result.className = 'ok';
      result.textContent = t('provincial.done');
      renderHistory(await api(`${base}/history`));
    } catch (error) {
      result.className = 'error';
      result.replaceChildren(...problemLines(error).map((m) => el('p', {}, m)));
    }
  });
}

async function setUpDocuments(me) {
  setUpProvincialApproval(me);
  const docs = await renderDocuments();
  const form = document.getElementById('document-upload');
  if (!me.capabilities.includes('MoveStages')) return;
  form.hidden = false;
  const kind = document.getElementById('document-kind');
  kind.replaceChildren(...Object.entries(docs.kinds).map(([k, name]) => el('option', { value: k }, name)));
  const missing = docs.requiredForNext.find((r) => !r.filed);
  if (missing) kind.value = missing.kind;
  document.getElementById('document-file').accept = docs.extensions.join(',');
  const result = document.getElementById('document-result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await submitFile({
      url: `${base}/documents`, data: new FormData(form), button: document.getElementById('document-submit'), result, failedKey: 'documents.failed',
      onOk: async (body) => {
        result.replaceChildren(t('documents.done', body.kindName, body.fileName));
        form.reset();
        await renderDocuments();
      },
    });
  });
}

function renderHistory(history) {
  document.getElementById('history').replaceChildren(...[...history].reverse().map((h) => {
    let what = t(`history.${h.kind}`);
    if (h.kind === 'StageChanged') what += `：${t(`stage.${h.before.stage}`)} → ${t(`stage.${h.after.stage}`)}`;
    if (h.kind === 'GateChecked') {
      what += `：${h.after.name}（${t(`layer.${h.after.layer}`)}）`;
      what += h.after.held ? t('gate.held') : h.after.missingLayer ? t('gate.noLayer', t(`layer.${h.after.missingLayer}`)) : t('gate.failed', h.after.failing.join('、'));
    }
    if (h.kind === 'GateWaived') what += `：${h.after.name}，${t('gate.waivedRules', h.after.rules.join('、'), t(`role.${h.after.role}`))}，${t('gate.reason', h.after.reason)}`;
    if (h.kind === 'PackageImported') what += `：${h.after.source}（${t('gate.packageCounts', h.after.parcelsBefore, h.after.parcelsAfter)}）`;
    return el('li', {}, el('time', {}, new Date(h.at).toLocaleString('zh-CN')), ' ', el('strong', {}, what), ' · ', h.actor, h.comment ? `（${h.comment}）` : '');
  }));
}

function renderLifecycle(project, stages, me) {
  document.getElementById('lifecycle').replaceChildren(...stages.map((s) =>
    el('li', { class: s.stage === project.stage ? 'current' : s.order < stages.find((x) => x.stage === project.stage).order ? 'done' : '' }, s.name)));
  // Leaving this stage may need a gate: say which, what it checks and who may waive it; the waiver reason is asked for.
  const gate = stages.find((s) => s.stage === project.stage)?.gate;
  const note = document.getElementById('gate-note');
  note.hidden = !gate;
  document.getElementById('waiver-field').hidden = !gate;
  if (gate) {
    const layer = gate.layer === 'parcels_as_built' ? 'parcels_as_built' : 'parcels_after';
    note.replaceChildren(t('gate.note', gate.name, t(`layer.${gate.layer}`), gate.waiverRoles.join('、')), ' ',
      el('a', { href: `/projects/${encodeURIComponent(project.code)}/check${layer === 'parcels_as_built' ? '?layer=parcels_as_built' : ''}`, id: 'gate-check' }, t('gate.open')));
  }
  const advance = document.getElementById('advance');
  const back = document.getElementById('send-back');
  advance.hidden = !project.nextStage;
  back.hidden = !project.previousStage;
  if (project.nextStage) advance.textContent = t('project.advance', t(`stage.${project.nextStage}`));
  if (project.previousStage) back.textContent = t('project.sendBack', t(`stage.${project.previousStage}`));
  advance.onclick = () => move(project.nextStage);
  back.onclick = () => move(project.previousStage);
  // Who decides this stage moves the project on or back; a role that may waive the gate may move it on with a waiver.
  const stage = stages.find((s) => s.stage === project.stage);
  const decides = me.roles.includes(stage.decidedBy) && (stage.decidedBy !== 'district_officer' || me.districtCode === project.districtCode);
  const waives = !!gate && me.roles.some((r) => gate.waiverRoleCodes.includes(r));
  const owner = document.getElementById('stage-owner');
  owner.textContent = decides || waives ? t('stage.decidedBy', stage.decidedByName) : t('stage.notYours', stage.decidedByName);
  owner.className = decides || waives ? 'muted' : 'notice';
  advance.disabled = !decides && !waives;
  back.disabled = !decides;
}

async function move(target) {
  const error = document.getElementById('stage-error');
  error.textContent = '';
  try {
    await api(`${base}/stage`, { method: 'POST', body: JSON.stringify({
      target, comment: document.getElementById('stage-comment').value || null, waiver: document.getElementById('stage-waiver').value || null }) });
    location.reload();
  } catch (e) {
    error.textContent = e.problem?.errors ? Object.values(e.problem.errors).flat().join(' ') : e.message;
  }
}

init().catch(showError);
