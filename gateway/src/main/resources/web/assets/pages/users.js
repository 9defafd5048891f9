import { get } from '../api.js';
import { h, render, empty, avatar, plural, userPath, pagedList } from '../ui.js';

export function userCard(user) {
  return h('li', { class: 'user-card' },
    h('a', { href: userPath(user.username), class: 'user-card-link' },
      avatar(user, 72),
      h('span', { class: 'user-name' }, user.displayName || user.username),
      user.displayName && user.displayName !== user.username ? h('span', { class: 'muted' }, `@${user.username}`) : null,
      h('span', { class: 'user-counts muted' }, `${plural(user.images, 'picture')} · ${plural(user.followers, 'follower')}`)));
}

export default async function users() {
  const list = h('ul', { class: 'user-grid', role: 'list' });
  const footer = pagedList({
    container: list,
    load: cursor => get(`/api/users?limit=30${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    renderItem: userCard,
    onEmpty: () => empty('Nobody is here yet.', h('p', {}, 'Invite a friend to create an account.')),
  });
  render('People', h('h1', {}, 'People'), h('p', { class: 'lead' }, 'Follow people to see what they save and like in your feed.'), list, footer);
}
