// The project list: filters, sorting and paging over GET /api/projects; and importing a project package.
import { api, el, formatNumber, showError, submitFile, t } from './common.js';

const SORTS = ['Code', 'Name', 'District', 'Stage', 'Area', 'UpdatedAt'];
const form = document.getElementById('filters');
const state = { page: 1, pageSize: 20 };

async function init() {
  const [districts, stages] = await Promise.all([api('/api/districts'), api('/api/stages')]);
  const district = document.getElementById('f-district');
  for (const d of districts) district.append(el('option', { value: d.code }, d.name));
  const stage = document.getElementById('f-stage');
  for (const s of stages) stage.append(el('option', { value: s.stage }, s.name));
  const sort = document.getElementById('f-sort');
  for (const s of SORTS) sort.append(el('option', { value: s }, t(`sort.${s}`)));

  // Filters live in the URL, so a filtered list can be bookmarked and shared.
  const params = new URLSearchParams(location.search);
  for (const name of ['district', 'stage', 'pilot', 'sort', 'q']) if (params.has(name)) form.elements[name].value = params.get(name);
  form.elements.desc.checked = params.get('desc') === 'true';
  state.page = Number(params.get('page') || 1);

  form.addEventListener('change', () => { state.page = 1; load(); });
  form.addEventListener('input', (e) => { if (e.target.name === 'q') { state.page = 1; debounce(load); } });
  form.addEventListener('submit', (e) => { e.preventDefault(); state.page = 1; load(); });
  document.getElementById('prev').addEventListener('click', () => { state.page--; load(); });
  document.getElementById('next').addEventListener('click', () => { state.page++; load(); });
  await Promise.all([load(), loadInbox()]);
}

/** What waits for this account (its turn), oldest first. */
async function loadInbox() {
  const items = await api('/api/inbox');
  const section = document.getElementById('inbox');
  section.hidden = items.length === 0;
  document.getElementById('inbox-items').replaceChildren(...items.map((i) => el('li', { 'data-kind': i.kind, 'data-code': i.code },
    el('a', { href: i.link }, `${i.code} ${i.name}`), '：', i.what)));
}

let timer;
function debounce(fn) { clearTimeout(timer); timer = setTimeout(fn, 250); }

async function load() {
  const query = new URLSearchParams();
  for (const name of ['district', 'stage', 'pilot', 'sort', 'q']) if (form.elements[name].value) query.set(name, form.elements[name].value);
  if (form.elements.desc.checked) query.set('desc', 'true');
  if (state.page > 1) query.set('page', state.page);
  history.replaceState(null, '', query.size ? `?${query}` : location.pathname);
  query.set('pageSize', state.pageSize);
  query.set('page', state.page);
  try {
    const result = await api(`/api/projects?${query}`);
    render(result);
  } catch (error) {
    showError(error);
  }
}

function render(result) {
  const body = document.querySelector('#projects tbody');
  body.replaceChildren(...result.items.map((p) => el('tr', { 'data-code': p.code },
    el('td', { class: 'code' }, p.code),
    el('td', {}, el('a', { href: `/projects/${encodeURIComponent(p.code)}` }, p.name)),
    el('td', {}, p.districtName),
    el('td', {}, el('span', { class: `badge stage s-${p.stage}` }, p.stageName)),
    el('td', {}, p.isPilot ? t('list.yes') : ''),
    el('td', { class: 'num' }, formatNumber(p.areaMu, 1)),
    el('td', { class: 'num' }, p.zoneCount),
    el('td', {}, p.approvedOn ?? ''))));
  if (result.items.length === 0) body.append(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, t('list.empty'))));
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  document.getElementById('total').textContent = t('list.total', result.total);
  document.getElementById('page').textContent = t('list.page', result.page, pages);
  document.getElementById('prev').disabled = result.page <= 1;
  document.getElementById('next').disabled = result.page >= pages;
}

// A project package (.gpkg, or the folder form zipped) creates or updates its project, all or nothing.
function setUpPackageUpload() {
  const upload = document.getElementById('package-upload');
  const result = document.getElementById('package-result');
  upload.addEventListener('submit', async (event) => {
    event.preventDefault();
    await submitFile({
      url: '/api/packages', data: new FormData(upload), button: document.getElementById('package-submit'), result, failedKey: 'package.failed',
      onOk: async (body) => {
        result.replaceChildren(t('package.done', ''), el('a', { href: `/projects/${encodeURIComponent(body.code)}`, id: 'package-project' }, `${body.code} ${body.name}`));
        await load();
      },
    });
  });
}

setUpPackageUpload();
init().catch(showError);
