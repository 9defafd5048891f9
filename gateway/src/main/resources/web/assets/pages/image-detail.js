import { get, put, del } from '../api.js';
import { h, render, plural, time, avatar, userPath, imagePath, empty, problem, showFlash, flashNext, media } from '../ui.js';
import { loginUrl } from '../app.js';

export default async function imageDetail({ me, params }) {
  const image = await get(`/api/images/${params.id}`);
  if (params.slug !== image.slug) history.replaceState(null, '', imagePath(image));

  let liked = image.likedByMe;
  let likes = image.likeCount;
  const likeCount = h('span', { class: 'stat-number' }, String(likes));
  const likeLabel = h('span', {}, likes === 1 ? ' like' : ' likes');
  const viewCount = h('span', { class: 'stat-number' }, '…');
  const viewLabel = h('span', {}, ' views');
  const likeButton = h('button', { type: 'button', class: 'button like-button', 'aria-pressed': String(liked) });
  const likeStatus = h('p', { class: 'like-status', role: 'status' });
  const showLike = () => {
    likeButton.setAttribute('aria-pressed', String(liked));
    likeButton.replaceChildren(liked ? '♥ Unlike' : '♡ Like');
    likeCount.textContent = String(likes);
    likeLabel.textContent = likes === 1 ? ' like' : ' likes';
  };
  showLike();
  const likers = h('ul', { class: 'likers', role: 'list' });
  const likersBox = h('section', { class: 'panel', 'aria-labelledby': 'likers-title' }, h('h2', { id: 'likers-title' }, 'Liked by'), likers);

  async function loadLikers() {
    try {
      const page = await get(`/api/images/${image.id}/likers?limit=50`);
      if (!page.items.length) {
        likers.replaceChildren(h('li', { class: 'muted' }, 'Nobody likes this picture yet.', me && !liked ? ' Be the first!' : ''));
        return;
      }
      likers.replaceChildren(...page.items.map(user => h('li', {},
        h('a', { href: userPath(user.username), class: 'liker' }, avatar(user, 32), h('span', {}, user.username)))));
    } catch (error) { likers.replaceChildren(h('li', {}, problem(error))); }
  }

  likeButton.addEventListener('click', async () => {
    if (!me) { location.assign(loginUrl()); return; }
    const want = !liked;
    likeButton.disabled = true;
    try {
      if (want) await put(`/api/images/${image.id}/like`); else await del(`/api/images/${image.id}/like`);
      likes += want === liked ? 0 : want ? 1 : -1;
      liked = want;
      showLike();
      likeStatus.textContent = want ? 'You like this picture.' : 'You no longer like this picture.';
      loadLikers();
    } catch (error) {
      likeStatus.replaceChildren(problem(error));
    } finally {
      likeButton.disabled = false;
    }
  });

  const owner = image.owner || {};
  const mine = me && owner.id === me.id;
  let deleteButton = null;
  if (mine) {
    deleteButton = h('button', { type: 'button', class: 'button danger secondary' }, 'Delete');
    deleteButton.addEventListener('click', async () => {
      if (!confirm(`Delete “${image.title}”? This cannot be undone.`)) return;
      try {
        await del(`/api/images/${image.id}`);
        flashNext('Image deleted');
        location.assign(userPath(me.username));
      } catch (error) { showFlash(problemText(error), 'error'); }
    });
  }

  const picture = h('a', { href: media(image.imageUrl), class: 'detail-picture', title: 'Open the full-size picture' },
    h('img', { src: media(image.detailUrl || image.imageUrl), alt: image.title, width: image.width, height: image.height }));
  render(image.title,
    h('article', { class: 'detail' },
      h('div', { class: 'detail-media' }, picture),
      h('div', { class: 'detail-info' },
        h('h1', {}, image.title),
        h('p', { class: 'muted' }, 'Saved by ', h('a', { href: userPath(owner.username) }, owner.username), ' ', time(image.createdAt)),
        h('div', { class: 'stats' },
          h('p', { class: 'stat' }, likeCount, likeLabel),
          h('p', { class: 'stat' }, viewCount, viewLabel)),
        h('div', { class: 'actions-row' }, likeButton, deleteButton),
        likeStatus,
        image.description ? h('div', { class: 'description' }, ...image.description.split(/\n{2,}/).map(p => h('p', {}, p)))
          : h('p', { class: 'muted' }, 'No description.'),
        image.sourceUrl ? h('p', { class: 'source' }, 'Picture from ', h('a', { href: image.sourceUrl, rel: 'noopener noreferrer nofollow', class: 'break' }, image.sourceUrl)) : null,
        likersBox)));
  loadLikers();
  try {
    const stats = await get(`/api/rankings/images/${image.id}`);
    // This visit counts too, even when the counter has not caught up with it yet.
    const views = Math.max(stats.views || 0, 1);
    viewCount.textContent = String(views);
    viewLabel.textContent = views === 1 ? ' view' : ' views';
  } catch (error) {
    viewCount.textContent = '–';
    viewLabel.textContent = ' views (not available right now)';
  }
}

function problemText(error) {
  return error.detail || error.title || 'The picture could not be deleted.';
}
