// Small DOM helpers. Everything user-provided goes in as text nodes or attributes, never as HTML.
import { describe } from './api.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.substring(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const main = () => document.getElementById('main');

/** Replaces the page's content and names it: the title, and focus for screen readers after a navigation. */
export function render(title, ...children) {
  document.title = title ? `${title} · Bookmarks` : 'Bookmarks';
  const m = main();
  m.replaceChildren();
  append(m, children);
}

// One-time messages ("Image saved") survive exactly one page load, like the original's flash messages.
const FLASH_KEY = 'bookmarks.flash';

export function flashNext(text, kind = 'success') {
  sessionStorage.setItem(FLASH_KEY, JSON.stringify({ text, kind }));
}

export function showFlash(text, kind = 'success') {
  const area = document.querySelector('.flash-area');
  const close = h('button', { type: 'button', class: 'flash-close', 'aria-label': 'Dismiss message' }, '×');
  const message = h('div', { class: `flash flash-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', {}, text), close);
  close.addEventListener('click', () => message.remove());
  area.append(message);
}

export function showPendingFlash() {
  const raw = sessionStorage.getItem(FLASH_KEY);
  if (!raw) return;
  sessionStorage.removeItem(FLASH_KEY);
  try {
    const { text, kind } = JSON.parse(raw);
    showFlash(text, kind);
  } catch (e) { /* a damaged message is dropped */ }
}

/** A problem shown in words where it happened, with a way out when there is one. */
export function problem(error, ...extra) {
  return h('div', { class: 'problem', role: 'alert' }, h('p', {}, describe(error)), ...extra);
}

export function empty(title, ...what) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), ...what);
}

let fieldCounter = 0;

/** A labelled input with a place for its error message, tied together for assistive technology. */
export function field(label, name, attrs = {}, hint) {
  const id = `f-${name}-${++fieldCounter}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  const control = attrs.multiline
    ? h('textarea', { id, name, ...attrs, multiline: undefined, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') }, attrs.value || '')
    : h('input', { id, name, type: 'text', ...attrs, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') });
  if (attrs.multiline) control.removeAttribute('value');
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label, attrs.required ? null : h('span', { class: 'optional' }, ' (optional)')),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** Clears earlier errors of a form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach(p => { p.textContent = ''; p.hidden = true; });
  form.querySelectorAll('[aria-invalid]').forEach(c => c.removeAttribute('aria-invalid'));
  form.querySelectorAll('.form-problem').forEach(p => p.remove());
}

/**
 * Puts each of the problem's {field, message} errors next to its field and the rest at the top of
 * the form, then moves focus to the first error so keyboard users land on it.
 */
export function showErrors(form, error, fieldNames = {}) {
  clearErrors(form);
  const general = [];
  let first = null;
  for (const { field: name, message } of error.errors || []) {
    const box = form.querySelector(`[data-field="${CSS.escape(fieldNames[name] || name)}"]`);
    if (!box) { general.push(message); continue; }
    const p = box.querySelector('.field-error');
    p.textContent = p.textContent ? `${p.textContent} ${message}` : message;
    p.hidden = false;
    const control = box.querySelector('input, textarea, select');
    if (control) { control.setAttribute('aria-invalid', 'true'); first = first || control; }
  }
  if (general.length || !(error.errors || []).length) {
    const text = (error.errors || []).length ? general.join(' ') : describe(error);
    const box = h('div', { class: 'problem form-problem', role: 'alert', tabindex: '-1' }, h('p', {}, text));
    form.prepend(box);
    first = first || box;
  }
  if (first) first.focus();
}

/** Disables a form's submit button while a request runs, so a double click saves once. */
export async function busy(form, work) {
  const button = form.querySelector('button[type=submit]');
  const label = button ? button.textContent : '';
  if (button) { button.disabled = true; button.dataset.busy = 'true'; }
  try {
    return await work();
  } finally {
    if (button) { button.disabled = false; delete button.dataset.busy; button.textContent = label; }
  }
}

export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value === 'string') values[key] = value;
  }
  return values;
}

const units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function timeAgo(iso) {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function time(iso) {
  return h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, timeAgo(iso));
}

export function plural(n, one, many = `${one}s`) {
  return `${Number(n).toLocaleString('en')} ${n === 1 ? one : many}`;
}

/**
 * Our own stored pictures by path, whatever origin the service wrote into the URL: the page may
 * be open on another of the gateway's origins (its HTTPS listener), and stored actions keep the
 * URL they were made with. The policy allows pictures from this page's origin only.
 */
export function media(url) {
  if (!url) return url;
  try {
    const parsed = new URL(url, location.href);
    return parsed.pathname.startsWith('/media/') ? parsed.pathname + parsed.search : url;
  } catch (e) {
    return url;
  }
}

export function avatar(user, size = 40) {
  const name = user.displayName || user.username || '?';
  if (user.photoUrl) {
    return h('img', { class: 'avatar', src: media(user.photoUrl), alt: '', width: size, height: size, loading: 'lazy' });
  }
  const initial = h('span', { class: 'avatar avatar-initial', 'aria-hidden': 'true' }, name.charAt(0).toUpperCase());
  initial.style.width = initial.style.height = `${size}px`;
  initial.style.fontSize = `${Math.round(size * 0.45)}px`;
  return initial;
}

export function imagePath(image) {
  return `/images/${image.id}/${image.slug || 'image'}`;
}

export const userPath = username => `/users/${encodeURIComponent(username)}`;

/**
 * Loads pages of a cursor-paged list as the person scrolls near the end, with a button as well
 * for keyboards and for when the observer is not enough.
 */
export function pagedList({ container, load, renderItem, onEmpty }) {
  let cursor = null;
  let done = false;
  let loading = false;
  let count = 0;
  const more = h('button', { type: 'button', class: 'button secondary load-more' }, 'Load more');
  const status = h('p', { class: 'list-status', role: 'status' });
  const footer = h('div', { class: 'list-footer' }, status, more);
  let failed = false;
  async function next(retry) {
    if (loading || done || (failed && !retry)) return;
    loading = true;
    failed = false;
    more.disabled = true;
    more.textContent = 'Load more';
    status.textContent = 'Loading…';
    try {
      const page = await load(cursor);
      for (const item of page.items) { container.append(renderItem(item)); count++; }
      cursor = page.nextCursor;
      done = !cursor;
      status.textContent = '';
      if (done) {
        more.hidden = true;
        observer.disconnect();
        if (count === 0 && onEmpty) footer.replaceChildren(onEmpty());
      }
    } catch (error) {
      // No automatic retry: the person reads the problem and tries again when they want.
      failed = true;
      status.replaceChildren(problem(error));
      more.textContent = 'Try again';
    } finally {
      loading = false;
      more.disabled = false;
    }
    // A short first page that leaves the sentinel visible asks for the next one at once; measured
    // a frame later, once the masonry grid has given its new cards their heights.
    if (!done && !failed) requestAnimationFrame(() => requestAnimationFrame(() => { if (isNearView(footer)) next(); }));
  }
  const observer = new IntersectionObserver(entries => {
    if (entries.some(e => e.isIntersecting)) next();
  }, { rootMargin: '600px 0px' });
  more.addEventListener('click', () => next(true));
  observer.observe(footer);
  next();
  return footer;
}

function isNearView(el) {
  const rect = el.getBoundingClientRect();
  return rect.top < window.innerHeight + 600;
}

/**
 * A masonry-like grid: CSS grid rows of 8 px, each card spanning as many rows as its picture is
 * tall at the column's current width, so pictures keep their shapes and the order stays row by row.
 */
const ROW = 8;
const GAP = 16;
const sizer = new ResizeObserver(entries => {
  for (const entry of entries) {
    const card = entry.target;
    const height = card.firstElementChild ? card.firstElementChild.getBoundingClientRect().height : 0;
    card.style.gridRowEnd = `span ${Math.max(1, Math.ceil((height + GAP) / ROW))}`;
  }
});

export function masonryGrid() {
  return h('ul', { class: 'masonry', role: 'list' });
}

export function imageCard(image) {
  const ratio = image.width && image.height ? image.height / image.width : 1;
  const picture = h('img', {
    src: media(image.detailUrl || image.thumbnailUrl), alt: '', loading: 'lazy', decoding: 'async',
    width: 400, height: Math.round(400 * ratio),
  });
  const inner = h('a', { class: 'card-link', href: imagePath(image) },
    picture,
    h('span', { class: 'card-caption' },
      h('span', { class: 'card-title' }, image.title),
      h('span', { class: 'card-meta' },
        image.owner ? `by ${image.owner.username}` : '',
        h('span', { class: 'card-likes', 'aria-label': plural(image.likeCount || 0, 'like') }, `♥ ${image.likeCount || 0}`))));
  const card = h('li', { class: 'masonry-item' }, inner);
  sizer.observe(card);
  return card;
}
