// Entry point of every page: finds out who is logged in, draws the navigation, and runs the page
// module that the path names. Pages are ordinary page loads (links work, back works, each page
// has its own URL); the modules only fill in the main element.
import { ApiError, get, csrfToken } from './api.js';
import { h, render, problem, showPendingFlash } from './ui.js';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const routes = [
  { path: /^\/$/, module: 'feed', section: 'feed', login: true },
  { path: /^\/register$/, module: 'register' },
  { path: /^\/password-reset$/, module: 'password-reset' },
  { path: /^\/password-reset\/confirm$/, module: 'password-reset-confirm' },
  { path: /^\/account$/, module: 'account', section: 'account', login: true },
  { path: /^\/account\/email\/confirm$/, module: 'email-confirm' },
  { path: /^\/images$/, module: 'images', section: 'images', login: true },
  { path: /^\/images\/new$/, module: 'image-new', section: 'images', login: true },
  { path: new RegExp(`^/images/(${UUID})(?:/([^/]*))?$`), module: 'image-detail', section: 'images', names: ['id', 'slug'] },
  { path: /^\/users$/, module: 'users', section: 'people', login: true },
  { path: /^\/users\/([^/]+)$/, module: 'user-detail', section: 'people', login: true, names: ['username'] },
  { path: /^\/rankings$/, module: 'rankings', section: 'rankings', login: true },
  { path: /^\/bookmarklet$/, module: 'bookmarklet', section: 'bookmarklet' },
];

export function loginUrl(next = location.pathname + location.search) {
  return `/login?next=${encodeURIComponent(next)}`;
}

async function whoAmI() {
  try {
    return await get('/api/accounts/me');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

function navigation(me, section) {
  const link = (href, text, name) => h('a', { href, 'aria-current': section === name ? 'page' : undefined }, text);
  const nav = document.querySelector('.site-nav');
  const menu = h('ul', { class: 'nav-links', id: 'nav-links' });
  if (me) {
    menu.append(
      h('li', {}, link('/', 'Feed', 'feed')),
      h('li', {}, link('/images', 'Images', 'images')),
      h('li', {}, link('/users', 'People', 'people')),
      h('li', {}, link('/rankings', 'Rankings', 'rankings')));
  }
  const account = h('ul', { class: 'nav-account' });
  if (me) {
    const logout = h('form', { method: 'post', action: '/logout', class: 'logout-form' },
      h('input', { type: 'hidden', name: '_csrf', value: '' }),
      h('button', { type: 'submit', class: 'link-button' }, 'Log out'));
    logout.addEventListener('submit', () => {
      logout.elements._csrf.value = csrfToken() || '';
      // Live connections end first, so none races the session's end with a request of its own.
      window.dispatchEvent(new Event('bookmarks:logout'));
    });
    account.append(
      h('li', {}, link('/account', me.firstName ? `${me.firstName}` : me.username, 'account')),
      h('li', {}, logout));
  } else {
    account.append(
      h('li', {}, h('a', { href: loginUrl(/^\/(register|password-reset|account\/email)/.test(location.pathname) ? '/' : undefined) }, 'Log in')),
      h('li', {}, h('a', { href: '/register', class: 'button small' }, 'Create an account')));
  }
  const toggle = h('button', { type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav-links' }, 'Menu');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  });
  nav.replaceChildren(me ? toggle : '', menu, account);
}

async function start() {
  showPendingFlash();
  const path = location.pathname.length > 1 ? location.pathname.replace(/\/+$/, '') : '/';
  const route = routes.find(r => r.path.test(path));
  let me;
  try {
    me = await whoAmI();
  } catch (error) {
    navigation(null);
    render('Problem', problem(error));
    return;
  }
  navigation(me, route && route.section);
  if (!route) {
    render('Not found', h('h1', {}, 'Page not found'), h('p', {}, 'There is nothing at this address. ', h('a', { href: '/' }, 'Go to your feed'), '.'));
    return;
  }
  if (route.login && !me) {
    location.replace(loginUrl());
    return;
  }
  const match = route.path.exec(path);
  const params = {};
  (route.names || []).forEach((name, i) => { params[name] = match[i + 1] && decodeURIComponent(match[i + 1]); });
  const query = new URLSearchParams(location.search);
  try {
    const page = await import(`./pages/${route.module}.js`);
    await page.default({ me, params, query });
  } catch (error) {
    render('Problem', h('h1', {}, 'This page could not be shown'), problem(error,
      h('p', {}, h('a', { href: location.href }, 'Reload the page'), ' or ', h('a', { href: '/' }, 'go to your feed'), '.')));
    if (!(error instanceof ApiError)) console.error(error);
  }
}

start();
