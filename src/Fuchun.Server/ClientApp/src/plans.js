// The plan system of paragraph (七): the plans a user may see, with what they may do to each (submit, approve,
// return with a reason) and, for authors, a form for a new plan.
import { t, api, el, problemLines, session, showError } from './common.js';

const body = document.querySelector('#plans tbody');
const year = Number(new Date().toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }));

function writes(me, plan) {
  return me.roles.includes(plan.author) && (plan.author !== 'district_officer' || me.districtCode === plan.districtCode);
}

async function act(plan, action, payload) {
  try {
    await api(`/api/plans/${encodeURIComponent(plan.code)}/${action}`, { method: 'POST', body: payload ? JSON.stringify(payload) : undefined });
    await load();
  } catch (error) {
    showError(error);
  }
}

function actions(me, plan) {
  const cell = [];
  if (writes(me, plan) && (plan.status === 'Draft' || plan.status === 'Returned')) {
    cell.push(el('button', { type: 'button', class: 'primary', 'data-action': 'submit', onclick: () => act(plan, 'submit') }, t('plans.submit')));
  }
  if (me.roles.includes(plan.approver) && plan.status === 'Submitted') {
    const reason = el('input', { class: 'reason', 'data-role': 'reason', placeholder: t('plans.reason') });
    cell.push(
      el('button', { type: 'button', class: 'primary', 'data-action': 'approve', onclick: () => act(plan, 'approve') }, t('plans.approve')),
      reason,
      el('button', { type: 'button', 'data-action': 'return', onclick: () => act(plan, 'return', { reason: reason.value }) }, t('plans.return')));
  }
  return cell;
}

function status(plan) {
  const text = plan.status === 'Approved' && plan.approvedBy
    ? t('plans.approvedBy', plan.statusName, plan.approvedBy, new Date(plan.approvedAt).toLocaleDateString('zh-CN'))
    : plan.status === 'Returned' ? t('plans.returnedFor', plan.statusName, plan.returnReason) : plan.statusName;
  return el('span', { class: `status ${plan.status.toLowerCase()}` }, text);
}

let me;
let plans = [];

async function load() {
  plans = await api('/api/plans');
  body.replaceChildren(...plans.map((p) => el('tr', { 'data-code': p.code, 'data-status': p.status },
    el('td', {}, p.code), el('td', {}, p.levelName), el('td', {}, p.name), el('td', {}, p.districtName ?? t('plans.city')),
    el('td', {}, p.startYear === p.endYear ? String(p.startYear) : `${p.startYear}—${p.endYear}`), el('td', {}, p.parentCode ?? ''),
    el('td', {}, p.projectCodes.map((c) => el('a', { href: `/projects/${encodeURIComponent(c)}` }, c)).flatMap((a, i) => (i ? ['、', a] : [a]))),
    el('td', {}, status(p)), el('td', {}, p.approvingBody), el('td', { class: 'actions' }, actions(me, p)))));
  fillParents();
}

// The new plan's level decides its parent's level (outline ← district plan ← area and annual plans).
const parentLevel = { District: 'CityOutline', Area: 'District', Annual: 'District' };

function fillParents() {
  const level = document.getElementById('plan-level').value;
  const wanted = parentLevel[level];
  const parent = document.getElementById('plan-parent');
  parent.replaceChildren(...(wanted ? plans.filter((p) => p.level === wanted && (!p.districtCode || !me.districtCode || p.districtCode === me.districtCode))
    .map((p) => el('option', { value: p.code }, `${p.code} ${p.name}`)) : [el('option', { value: '' }, '—')]));
}

function setUpForm() {
  const form = document.getElementById('plan-form');
  const levels = me.roles.includes('city_bureau') ? ['CityOutline'] : me.roles.includes('district_officer') ? ['District', 'Area', 'Annual'] : [];
  if (!levels.length) return;
  form.hidden = false;
  const level = document.getElementById('plan-level');
  level.replaceChildren(...levels.map((l) => el('option', { value: l }, t(`plans.level.${l}`))));
  level.value = levels.at(-1);
  level.addEventListener('change', fillParents);
  document.getElementById('plan-start').value = year;
  document.getElementById('plan-end').value = year;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = document.getElementById('plan-result');
    try {
      await api('/api/plans', { method: 'POST', body: JSON.stringify({
        code: document.getElementById('plan-code').value,
        level: level.value,
        name: document.getElementById('plan-name').value,
        districtCode: level.value === 'CityOutline' ? null : me.districtCode,
        parentCode: document.getElementById('plan-parent').value || null,
        startYear: Number(document.getElementById('plan-start').value),
        endYear: Number(document.getElementById('plan-end').value),
        projectCodes: document.getElementById('plan-projects').value.split(/[\s,，、]+/).filter(Boolean),
      }) });
      result.className = 'ok';
      result.textContent = t('plans.created');
      await load();
    } catch (error) {
      result.className = 'error';
      result.replaceChildren(...problemLines(error).map((m) => el('p', {}, m)));
    }
  });
}

session().then(async (value) => {
  me = value;
  setUpForm();
  await load();
}).catch(showError);
