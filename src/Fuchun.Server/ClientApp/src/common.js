// Shared by every page: text resources, the API client, the page frame.
import zhCN from './i18n/zh-CN.js';

const strings = zhCN;

/** The text for key, with {0}, {1}, ... replaced by args. */
export function t(key, ...args) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** Fills [data-i18n] elements' text and [data-i18n-placeholder] placeholders from the resources. */
export function applyText(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  if (document.body.dataset.titleKey) document.title = `${t(document.body.dataset.titleKey)} · ${t('app.name')}`;
}

/** An error from the API, with the problem details it returned. */
export class ApiError extends Error {
  constructor(problem, status) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

let current = null;

/** Remembers the session the server reported (after sign-in, password change); its anti-forgery token goes with every change. */
export function setSession(value) {
  current = Promise.resolve(value);
  return value;
}

/** Who is signed in, their roles and capabilities, and the anti-forgery token (fetched once per page). */
export function session() {
  current ??= fetch('/api/session', { headers: { Accept: 'application/json' } }).then((r) => r.json());
  return current;
}

const unsafe = (method) => !['GET', 'HEAD', 'OPTIONS'].includes((method ?? 'GET').toUpperCase());

/** Headers for a request: the anti-forgery token on every change. */
async function headersFor(method, extra = {}) {
  return unsafe(method) ? { 'X-CSRF-Token': (await session()).csrfToken, ...extra } : extra;
}

/** Sends the browser to sign in (or to change a handed-over password), coming back here afterwards. */
function toSignIn(change = false) {
  const back = encodeURIComponent(location.pathname + location.search);
  location.assign(`/signin?${change ? 'change=1&' : ''}return=${back}`);
}

/** Calls the API; resolves to the parsed JSON, rejects with ApiError on an error status. */
export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, {
      ...options,
      headers: await headersFor(options.method, { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...options.headers }),
    });
  } catch {
    throw new ApiError({ title: t('error.network') }, 0);
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (response.status === 401 && !options.allowAnonymous) toSignIn();
  if (response.status === 403 && (await session()).mustChangePassword && !options.allowAnonymous) toSignIn(true);
  if (!response.ok) throw new ApiError(body, response.status);
  return body;
}

/** What an API error says, line by line: each field's message, or its title when it names no field. */
export function problemLines(error) {
  const fields = Object.values(error.problem?.errors ?? {}).flat();
  return fields.length ? fields : [error.message];
}

export function formatNumber(value, digits = 2) {
  return Number(value).toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** Shows an error in the page's alert box. */
export function showError(error) {
  const box = document.getElementById('alert');
  box.textContent = t('error.generic', error.message);
  box.hidden = false;
}

/** The page frame's header: the platform's name, the navigation for what the account may do, who is signed in. */
async function renderHeader() {
  const header = document.querySelector('header.app');
  if (!header) return;
  const brand = el('a', { class: 'brand', href: '/' }, el('strong', {}, t('app.name')), ' ', t('app.title'));
  header.replaceChildren(brand);
  if (document.body.dataset.anonymous !== undefined) return;
  const me = await session();
  if (!me.signedIn) {
    toSignIn();
    return;
  }
  const can = (c) => me.capabilities.includes(c);
  const signOut = async () => {
    await api('/api/session', { method: 'DELETE' });
    location.assign('/signin');
  };
  const inbox = can('ReadProjects') ? await api('/api/inbox') : [];
  header.replaceChildren(brand,
    el('nav', {},
      inbox.length ? el('a', { href: '/#inbox', id: 'nav-inbox', class: 'badge' }, t('nav.inbox', inbox.length)) : null,
      can('ReadProjects') ? el('a', { href: '/' }, t('nav.projects')) : null,
      can('EditProjects') ? el('a', { href: '/projects/new', id: 'nav-new' }, t('nav.new')) : null,
      can('ReadProjects') ? el('a', { href: '/plans', id: 'nav-plans' }, t('nav.plans')) : null,
      can('ReadAudit') ? el('a', { href: '/audit', id: 'nav-audit' }, t('nav.audit')) : null,
      el('a', { href: '/api/docs' }, t('nav.api')),
      el('span', { class: 'who', id: 'who', title: me.roleNames.join('、') }, `${me.displayName}（${me.roleNames.join('、')}）`),
      el('a', { href: '/signin?change=1', id: 'nav-password' }, t('nav.password')),
      el('button', { type: 'button', id: 'sign-out', class: 'link', onclick: signOut }, t('nav.signOut'))));
}

renderHeader();
applyText();

/**
 * Posts a file form (multipart: the browser sets the boundary) and shows the outcome in result: working, then
 * onOk(body) on success, or the problems the API listed under failedKey's heading. The button is disabled meanwhile.
 */
export async function submitFile({ url, data, button, result, failedKey, onOk }) {
  button.disabled = true;
  result.className = 'muted';
  result.replaceChildren(t('upload.working'));
  try {
    const response = await fetch(url, { method: 'POST', body: data, headers: await headersFor('POST', { Accept: 'application/json' }) });
    const body = await response.json();
    if (response.ok) {
      result.className = 'ok';
      await onOk(body);
    } else {
      const problems = Object.values(body.errors ?? {}).flat();
      result.className = 'error';
      result.replaceChildren(el('p', {}, problems.length ? t(failedKey) : body.title ?? ''), el('ul', { class: 'problems' }, problems.map((p) => el('li', {}, p))));
    }
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}
