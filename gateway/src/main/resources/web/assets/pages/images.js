import { get } from '../api.js';
import { h, render, empty, masonryGrid, imageCard, pagedList } from '../ui.js';

export default async function images() {
  const grid = masonryGrid();
  const footer = pagedList({
    container: grid,
    load: cursor => get(`/api/images?limit=24${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    renderItem: imageCard,
    onEmpty: () => empty('No pictures yet.',
      h('p', {}, 'Be the first: install the ', h('a', { href: '/bookmarklet' }, 'bookmarklet'), ' and save a picture from any site.')),
  });
  render('Images',
    h('div', { class: 'heading-row' },
      h('h1', {}, 'Images bookmarked'),
      h('a', { href: '/bookmarklet', class: 'button secondary' }, 'Get the bookmarklet')),
    grid, footer);
}
