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

/** Calls the API; resolves to the parsed JSON, rejects with ApiError on an error status. */
export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, {
      ...options,
      headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    });
  } catch {
    throw new ApiError({ title: t('error.network') }, 0);
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(body, response.status);
  return body;
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

/** The page frame's header: the platform's name and the navigation. */
function renderHeader() {
  const header = document.querySelector('header.app');
  if (!header) return;
  header.replaceChildren(
    el('a', { class: 'brand', href: '/' }, el('strong', {}, t('app.name')), ' ', t('app.title')),
    el('nav', {},
      el('a', { href: '/' }, t('nav.projects')),
      el('a', { href: '/projects/new', id: 'nav-new' }, t('nav.new')),
      el('a', { href: '/api/docs' }, t('nav.api'))));
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
    const response = await fetch(url, { method: 'POST', body: data, headers: { Accept: 'application/json' } });
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
