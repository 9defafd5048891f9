// The dashboard: what the people you follow did, newest first, and new actions as they happen
// (Server-Sent Events from /api/feed/stream, which EventSource reconnects with Last-Event-ID).
import { get } from '../api.js';
import { h, render, time, avatar, empty, imagePath, userPath, pagedList, plural, media } from '../ui.js';
import { bookmarkletLink } from './bookmarklet.js';

const VERBS = { registered: 'joined Bookmarks', bookmarked: 'bookmarked', liked: 'likes', followed: 'is following' };

export function actionItem(action, live = false) {
  const actor = action.actor || {};
  const target = action.target;
  let targetLink = null;
  let picture = null;
  if (target && target.type === 'image') {
    const href = imagePath({ id: target.id, slug: 'image' });
    targetLink = h('a', { href }, target.title || 'a picture');
    if (target.thumbnailUrl) {
      picture = h('a', { href, class: 'action-picture', tabindex: '-1', 'aria-hidden': 'true' },
        h('img', { src: media(target.thumbnailUrl), alt: '', width: 64, height: 64, loading: 'lazy' }));
    }
  } else if (target && target.type === 'user') {
    targetLink = h('a', { href: userPath(target.username) }, target.username);
  }
  return h('li', { class: `action${live ? ' action-new' : ''}`, dataset: { id: action.id } },
    h('a', { href: userPath(actor.username), class: 'action-avatar', tabindex: '-1', 'aria-hidden': 'true' }, avatar(actor, 44)),
    h('div', { class: 'action-text' },
      h('p', {}, h('a', { href: userPath(actor.username), class: 'actor' }, actor.username), ' ',
        VERBS[action.verb] || action.verb, targetLink ? ' ' : '', targetLink),
      h('p', { class: 'muted' }, time(action.createdAt))),
    picture);
}

export default async function feed({ me }) {
  const list = h('ul', { class: 'actions', role: 'list', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const liveState = h('span', { class: 'live-state', role: 'status' }, 'Connecting…');
  const seen = new Set();
  const renderItem = action => { seen.add(action.id); return actionItem(action); };
  const footer = pagedList({
    container: list,
    load: cursor => get(`/api/feed?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    renderItem,
    onEmpty: () => list.childElementCount ? h('span') : empty('Nothing has happened yet.',
      h('p', {}, 'Save your first picture with the bookmarklet, or ', h('a', { href: '/users' }, 'find people to follow'),
        '. What they do appears here as it happens.')),
  });

  const myImages = await get(`/api/users/${encodeURIComponent(me.username)}`).catch(() => null);
  const aside = h('aside', { class: 'sidebar' },
    h('section', { class: 'panel' },
      h('h2', {}, 'Save pictures from any site'),
      h('p', {}, matchMedia('(pointer: coarse)').matches
        ? 'Add the bookmarklet to your browser’s bookmarks, then open it on any page with pictures.'
        : 'Drag this button to your bookmarks bar, then click it on any page with pictures.'),
      h('p', {}, bookmarkletLink()),
      h('p', { class: 'muted' }, h('a', { href: '/bookmarklet' }, 'How the bookmarklet works'))),
    h('section', { class: 'panel' },
      h('h2', {}, 'You'),
      myImages ? h('p', {}, `You have bookmarked ${plural(myImages.images, 'picture')}, follow ${plural(myImages.following, 'person', 'people')} and have ${plural(myImages.followers, 'follower')}.`) : null,
      h('ul', { class: 'plain-list' },
        h('li', {}, h('a', { href: userPath(me.username) }, 'Your page')),
        h('li', {}, h('a', { href: '/account' }, 'Edit your profile')),
        h('li', {}, h('a', { href: '/account#password' }, 'Change your password')))));

  render('Feed',
    h('div', { class: 'with-sidebar' },
      h('section', { class: 'feed' },
        h('div', { class: 'heading-row' }, h('h1', {}, `Welcome, ${me.firstName || me.username}`), liveState),
        h('h2', { class: 'subtle' }, 'What’s happening'),
        myImages && myImages.following === 0
          ? h('p', { class: 'muted' }, 'You follow nobody yet, so this shows what everybody does. ', h('a', { href: '/users' }, 'Find people to follow'), '.')
          : null,
        list, footer),
      aside));

  // New actions arrive live. The stream sends only what happened after it opened, so nothing
  // arrives twice with the first page; ids dedupe a reconnection's catch-up anyway.
  const stream = new EventSource('/api/feed/stream');
  stream.addEventListener('open', () => { liveState.textContent = 'Live'; liveState.classList.add('on'); });
  stream.addEventListener('error', () => {
    liveState.classList.remove('on');
    liveState.textContent = stream.readyState === EventSource.CLOSED ? 'Live updates stopped: reload the page' : 'Reconnecting…';
  });
  stream.addEventListener('action', event => {
    let action;
    try { action = JSON.parse(event.data); } catch (e) { return; }
    if (!action || seen.has(action.id)) return;
    seen.add(action.id);
    const emptyBox = footer.querySelector('.empty');
    if (emptyBox) emptyBox.remove();
    list.prepend(actionItem(action, true));
  });
  window.addEventListener('pagehide', () => stream.close());
  window.addEventListener('bookmarks:logout', () => stream.close());
}
