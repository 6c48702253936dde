// The audit viewer (留痕查询) of the audit administrator: search by actor, action, subject and dates; export as CSV.
import { t, api, el, showError } from './common.js';

const form = document.getElementById('audit-filters');
const body = document.querySelector('#audit tbody');
const pageSize = 50;
let page = 1;

function query() {
  const q = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (!value) continue;
    // Dates are days in Beijing time; "to" includes its whole day.
    if (key === 'from') q.set('from', `${value}T00:00:00+08:00`);
    else if (key === 'to') q.set('to', new Date(new Date(`${value}T00:00:00+08:00`).getTime() + 86_400_000).toISOString());
    else q.set(key, value);
  }
  return q;
}

const time = (iso) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function change(entry) {
  if (!entry.before && !entry.after) return '';
  return [entry.before ? t('audit.before', entry.before) : null, entry.after ? t('audit.after', entry.after) : null].filter(Boolean).join('\n');
}

async function load() {
  const q = query();
  document.getElementById('a-export').href = `/api/audit/export.csv?${q}`;
  q.set('page', page);
  q.set('pageSize', pageSize);
  try {
    const result = await api(`/api/audit?${q}`);
    document.getElementById('audit-total').textContent = t('audit.total', result.total);
    body.replaceChildren(...result.items.map((e) => el('tr', { 'data-seq': e.sequence },
      el('td', { class: 'num' }, e.sequence), el('td', {}, time(e.at)), el('td', {}, e.actor), el('td', {}, e.role ?? ''),
      el('td', {}, e.source), el('td', {}, el('code', {}, e.action)), el('td', {}, e.subject ?? ''), el('td', { class: 'change' }, change(e)))));
    const pages = Math.max(1, Math.ceil(result.total / pageSize));
    document.getElementById('a-page').textContent = t('list.page', page, pages);
    document.getElementById('a-prev').disabled = page <= 1;
    document.getElementById('a-next').disabled = page >= pages;
  } catch (error) {
    showError(error);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  page = 1;
  load();
});
document.getElementById('a-prev').addEventListener('click', () => { page -= 1; load(); });
document.getElementById('a-next').addEventListener('click', () => { page += 1; load(); });
load();
