// A project's compliance report (政策规则核查): every rule's verdict with a sign and a word (not colour alone), the
// value against the threshold, and on demand the working: the paragraph quoted, the reading, the inputs and the
// parcels that cause a fail or warn. Every figure comes from /api/projects/{code}/check as it is.
import { ApiError, api, el, formatNumber, showError, t } from './common.js';

const code = decodeURIComponent(location.pathname.split('/').slice(-2)[0]);
const base = `/api/projects/${encodeURIComponent(code)}`;
const SIGNS = { pass: '✔', warn: '⚠', fail: '✘', not_applicable: '—', insufficient_data: '？' };

function format(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit === 'ratio') return `${formatNumber(value * 100, 2)}%`;
  if (unit === 'm2') return `${formatNumber(value / (10000 / 15), 2)} 亩`;
  return formatNumber(value, 0);
}

async function init() {
  document.getElementById('back').href = `/projects/${encodeURIComponent(code)}`;
  document.getElementById('back').textContent = t('analysis.back');
  document.getElementById('print').onclick = () => window.print();
  document.getElementById('xlsx').href = `${base}/check.xlsx`;
  let project;
  let check;
  try {
    [project, check] = await Promise.all([api(base), api(`${base}/check`)]);
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
      } }, r.id)),
      el('td', {}, r.paragraph),
      el('td', { class: `verdict ${r.verdict}`, 'data-verdict': r.verdict }, `${SIGNS[r.verdict]} ${t(`verdict.${r.verdict}`)}`),
      el('td', { class: 'num', 'data-col': 'value' }, format(r.value, r.unit)),
      el('td', { class: 'num', 'data-col': 'threshold' }, format(r.threshold, r.unit)),
      el('td', {}, r.detail));
    return [row, working];
  }));
  document.getElementById('check').dataset.ready = 'true';
}

init().catch(showError);
