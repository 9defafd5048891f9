import { get, put, del } from '../api.js';
import { h, render, empty, avatar, plural, masonryGrid, imageCard, pagedList, problem } from '../ui.js';
import { actionItem } from './feed.js';

export default async function userDetail({ me, params }) {
  const user = await get(`/api/users/${encodeURIComponent(params.username)}`);
  const itsMe = me && me.id === user.id;
  let following = user.followedByMe;
  let followers = user.followers;
  const followerCount = h('span', { class: 'stat-number' }, String(followers));
  const followerLabel = h('span', {}, followers === 1 ? ' follower' : ' followers');
  const status = h('p', { role: 'status', class: 'follow-status' });
  let followButton = null;
  if (!itsMe) {
    followButton = h('button', { type: 'button', class: 'button follow-button', 'aria-pressed': String(following) });
    const show = () => {
      followButton.textContent = following ? 'Unfollow' : 'Follow';
      followButton.setAttribute('aria-pressed', String(following));
      followButton.classList.toggle('secondary', following);
      followerCount.textContent = String(followers);
      followerLabel.textContent = followers === 1 ? ' follower' : ' followers';
    };
    show();
    followButton.addEventListener('click', async () => {
      const want = !following;
      followButton.disabled = true;
      try {
        const path = `/api/users/${encodeURIComponent(user.username)}/follow`;
        if (want) await put(path); else await del(path);
        followers += want === following ? 0 : want ? 1 : -1;
        following = want;
        show();
        status.textContent = want ? `You follow ${user.username}: their actions appear in your feed.` : `You no longer follow ${user.username}.`;
      } catch (error) {
        status.replaceChildren(problem(error));
      } finally {
        followButton.disabled = false;
      }
    });
  }
  const grid = masonryGrid();
  const footer = pagedList({
    container: grid,
    load: cursor => get(`/api/images?owner=${encodeURIComponent(user.username)}&limit=24${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    renderItem: imageCard,
    onEmpty: () => empty(itsMe ? 'You have not saved any picture yet.' : `${user.username} has not saved any picture yet.`,
      itsMe ? h('p', {}, 'Install the ', h('a', { href: '/bookmarklet' }, 'bookmarklet'), ' and click it on a page with pictures.') : null),
  });
  const actions = h('ul', { class: 'actions compact', role: 'list' });
  get(`/api/users/${encodeURIComponent(user.username)}/actions?limit=5`).then(page => {
    if (!page.items.length) actions.replaceWith(h('p', { class: 'muted' }, 'Nothing yet.'));
    else actions.replaceChildren(...page.items.map(a => actionItem(a)));
  }).catch(error => actions.replaceChildren(h('li', {}, problem(error))));

  render(user.displayName || user.username,
    h('section', { class: 'profile' },
      avatar(user, 120),
      h('div', { class: 'profile-info' },
        h('h1', {}, user.displayName || user.username),
        user.displayName && user.displayName !== user.username ? h('p', { class: 'muted' }, `@${user.username}`) : null,
        h('div', { class: 'stats' },
          h('p', { class: 'stat' }, followerCount, followerLabel),
          h('p', { class: 'stat' }, h('span', { class: 'stat-number' }, String(user.following)), ' following'),
          h('p', { class: 'stat' }, h('span', { class: 'stat-number' }, String(user.images)), user.images === 1 ? ' picture' : ' pictures')),
        h('div', { class: 'actions-row' }, followButton, itsMe ? h('a', { href: '/account', class: 'button secondary' }, 'Edit your profile') : null),
        status)),
    h('div', { class: 'with-sidebar' },
      h('section', {}, h('h2', {}, itsMe ? 'Your pictures' : 'Pictures'), grid, footer),
      h('aside', { class: 'sidebar' }, h('section', { class: 'panel' }, h('h2', {}, 'Recent actions'), actions))));
}
