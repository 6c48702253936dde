// The project form, new (/projects/new: POST /api/projects) or edit (/projects/{code}/edit: PUT /api/projects/{code}).
// Facts and, when given, the GeoJSON geometry go in one request, so that nothing is stored unless all of it is
// valid. Field errors from the server are shown by their fields.
import { ApiError, api, el, showError, t } from './common.js';

const MODES = ['Government', 'SocialCapital', 'FinancingEpc', 'EpcOperation', 'FinancingEpcOperation', 'Mixed'];
const FUNDS = ['Central', 'Provincial', 'City', 'District', 'SpecialBonds', 'SocialCapital', 'BankLoans', 'QuotaTradeIncome', 'Other'];
const form = document.getElementById('project-form');
const editing = location.pathname.endsWith('/edit') ? decodeURIComponent(location.pathname.split('/').at(-2)) : null;

async function init() {
  const districts = await api('/api/districts');
  const district = form.elements.districtCode;
  for (const d of districts) district.append(el('option', { value: d.code }, d.name));
  district.addEventListener('change', loadTownships);
  for (const m of MODES) form.elements.investmentMode.append(el('option', { value: m }, t(`mode.${m}`)));
  document.getElementById('fundingSources').append(...FUNDS.map((f) =>
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'fundingSources', value: f }), t(`fund.${f}`))));
  form.addEventListener('submit', submit);
  if (editing) await fill(await api(`/api/projects/${encodeURIComponent(editing)}`));
}

async function fill(p) {
  document.querySelector('h1').textContent = t('form.editTitle', p.name);
  document.title = `${t('form.editTitle', p.name)} · ${t('app.name')}`;
  for (const name of ['code', 'name', 'approvedOn', 'plannedStart', 'plannedCompletion', 'investmentMode']) form.elements[name].value = p[name] ?? '';
  form.elements.plannedInvestmentWanYuan.value = p.plannedInvestmentWanYuan ?? '';
  form.elements.isPilot.checked = p.isPilot;
  form.elements.districtCode.value = p.districtCode;
  await loadTownships();
  for (const tw of p.townships) form.querySelector(`input[name="townshipCodes"][value="${tw.code}"]`)?.click();
  for (const f of p.fundingSources) form.querySelector(`input[name="fundingSources"][value="${f}"]`)?.click();
  document.getElementById('geometry-hint').hidden = false;
}

async function loadTownships() {
  const box = document.getElementById('townships');
  box.replaceChildren();
  const code = form.elements.districtCode.value;
  if (!code) return;
  const townships = await api(`/api/districts/${code}/townships`);
  box.append(...townships.map((tw) =>
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'townshipCodes', value: tw.code }), tw.name)));
}

async function readGeoJson(input, field) {
  const file = input.files[0];
  if (!file) return undefined;
  try {
    return JSON.parse(await file.text());
  } catch (error) {
    throw new ApiError({ errors: { [field]: [t('form.fileUnreadable', error.message)] } }, 400);
  }
}

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

function showFieldErrors(errors) {
  for (const small of form.querySelectorAll('.error')) small.textContent = '';
  for (const [field, messages] of Object.entries(errors ?? {})) {
    // zones[0].geometry → zones; the form has one input per top-level field.
    const key = field.replace(/\[.*$/, '').replace(/\..*$/, '');
    const holder = form.querySelector(`[data-field="${key}"] .error`) ?? document.getElementById('alert');
    holder.textContent = messages.join(' ');
    holder.hidden = false;
  }
}

async function submit(event) {
  event.preventDefault();
  const button = document.getElementById('submit');
  button.disabled = true;
  button.textContent = t('form.saving');
  document.getElementById('alert').hidden = true;
  try {
    const value = (name) => form.elements[name].value || null;
    const body = {
      code: form.elements.code.value.trim(),
      name: form.elements.name.value.trim(),
      districtCode: form.elements.districtCode.value,
      townshipCodes: checked('townshipCodes'),
      isPilot: form.elements.isPilot.checked,
      approvedOn: value('approvedOn'),
      plannedStart: value('plannedStart'),
      plannedCompletion: value('plannedCompletion'),
      investmentMode: form.elements.investmentMode.value,
      fundingSources: checked('fundingSources'),
      plannedInvestmentWanYuan: value('plannedInvestmentWanYuan') === null ? null : Number(value('plannedInvestmentWanYuan')),
      projectArea: await readGeoJson(document.getElementById('projectArea'), 'projectArea'),
      zones: await readGeoJson(document.getElementById('zones'), 'zones'),
    };
    const project = editing
      ? await api(`/api/projects/${encodeURIComponent(editing)}`, { method: 'PUT', body: JSON.stringify(body) })
      : await api('/api/projects', { method: 'POST', body: JSON.stringify(body) });
    location.assign(`/projects/${encodeURIComponent(project.code)}`);
  } catch (error) {
    if (error instanceof ApiError && error.problem?.errors) showFieldErrors(error.problem.errors);
    else showError(error);
    button.disabled = false;
    button.textContent = t('form.submit');
  }
}

init().catch(showError);
