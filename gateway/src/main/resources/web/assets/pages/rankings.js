import { get } from '../api.js';
import { h, render, empty, problem, imagePath, plural, media } from '../ui.js';

const BY = [['views', 'Most viewed'], ['likes', 'Most liked']];
const WINDOWS = [['all', 'All time'], ['week', 'This week'], ['day', 'Today']];

export default async function rankings({ query }) {
  const by = BY.some(([key]) => key === query.get('by')) ? query.get('by') : 'views';
  const period = WINDOWS.some(([key]) => key === query.get('window')) ? query.get('window') : 'all';
  const choice = (options, current, name) => h('div', { class: 'segmented', role: 'group' },
    ...options.map(([key, label]) => {
      const params = new URLSearchParams({ by, window: period });
      params.set(name, key);
      return h('a', { href: `/rankings?${params}`, class: key === current ? 'selected' : '', 'aria-current': key === current ? 'true' : undefined }, label);
    }));
  const list = h('ol', { class: 'ranking', role: 'list' });
  render('Rankings',
    h('h1', {}, 'Rankings'),
    h('div', { class: 'filters' },
      h('div', { 'aria-label': 'Rank by' }, choice(BY, by, 'by')),
      h('div', { 'aria-label': 'Period' }, choice(WINDOWS, period, 'window'))),
    h('h2', { class: 'subtle' }, `${BY.find(([k]) => k === by)[1]} · ${WINDOWS.find(([k]) => k === period)[1].toLowerCase()}`),
    list);
  try {
    const items = await get(`/api/rankings/images?by=${by}&window=${period}&limit=10`);
    if (!items.length) {
      list.replaceWith(empty(`No picture has been ${by === 'views' ? 'viewed' : 'liked'} ${period === 'all' ? 'yet' : period === 'day' ? 'today' : 'this week'}.`,
        h('p', {}, h('a', { href: '/images' }, 'Browse the pictures'), ' and the most popular ones show up here.')));
      return;
    }
    list.replaceChildren(...items.map(item => h('li', { class: 'ranking-item' },
      h('span', { class: 'rank', 'aria-label': `Rank ${item.rank}` }, String(item.rank)),
      h('a', { href: imagePath({ id: item.imageId, slug: 'image' }), class: 'ranking-link' },
        item.thumbnailUrl ? h('img', { src: media(item.thumbnailUrl), alt: '', width: 72, height: 72, loading: 'lazy' }) : h('span', { class: 'thumb-placeholder' }),
        h('span', { class: 'ranking-title' }, item.title)),
      h('span', { class: 'score' }, plural(item.score, by === 'views' ? 'view' : 'like')))));
  } catch (error) {
    list.replaceWith(problem(error));
  }
}
