// The bookmarklet install page, and the draggable link that the feed shows too.
import { h, render } from '../ui.js';

let code;

/** The javascript: URL, pointing at the configured public origin (not whatever this page was opened as). */
export function bookmarkletUrl() {
  if (!code) {
    const origin = document.querySelector('meta[name="bookmarks-origin"]').content || location.origin;
    code = fetch('/assets/bookmarklet-source.js')
      .then(response => { if (!response.ok) throw new Error(`bookmarklet ${response.status}`); return response.text(); })
      .then(source => {
        const body = source.split('\n')
          .map(line => line.trim())
          .filter(line => line && !line.startsWith('//'))
          .join('\n')
          .replace('__ORIGIN__', () => JSON.stringify(origin));
        return `javascript:${encodeURIComponent(body)}`;
      });
  }
  return code;
}

export function bookmarkletLink() {
  const link = h('a', { class: 'button bookmarklet-button', href: '#', draggable: 'true', title: 'Drag me to your bookmarks bar' }, 'Bookmark it');
  bookmarkletUrl().then(url => link.setAttribute('href', url)).catch(() => link.replaceWith(
    h('span', { class: 'problem' }, 'The bookmarklet could not be loaded: reload the page.')));
  const tip = h('span', { class: 'bookmarklet-tip', role: 'status' });
  link.addEventListener('click', event => {
    // Clicked here it would do nothing useful (and this site's policy would block it anyway).
    event.preventDefault();
    tip.textContent = 'Drag the button to your bookmarks bar, then click it there while you look at a page with pictures.';
  });
  return h('span', { class: 'bookmarklet-wrap' }, link, ' ', tip);
}

export default async function install() {
  render('Bookmarklet',
    h('h1', {}, 'Save pictures from any site'),
    h('p', { class: 'lead' }, 'The bookmarklet is a button for your browser’s bookmarks bar. Click it on any web page, pick one of the page’s pictures, and Bookmarks opens with it ready to save.'),
    h('div', { class: 'panel install' },
      h('h2', {}, '1. Install it'),
      h('p', {}, 'Drag this button to your bookmarks bar:'),
      h('p', { class: 'install-button' }, bookmarkletLink()),
      h('p', { class: 'muted' }, 'No bookmarks bar? Show it with Ctrl+Shift+B (⌘+Shift+B on a Mac). On a phone, bookmark any page, then edit that bookmark and paste the address that “Copy the code” below gives you.'),
      copyButton()),
    h('div', { class: 'panel' },
      h('h2', {}, '2. Use it'),
      h('ol', { class: 'steps' },
        h('li', {}, 'Open any page with pictures you like.'),
        h('li', {}, 'Click “Bookmark it” in your bookmarks bar. The pictures of the page that are at least 100 × 100 pixels appear above it.'),
        h('li', {}, 'Pick one. Bookmarks opens in a new window with the picture and the page’s title; add a description and press Save.'))),
    h('div', { class: 'panel' },
      h('h2', {}, 'Safe on every site'),
      h('p', {}, 'The bookmarklet only reads the page you are on. It loads nothing into that page and sends nothing from it: the picture is fetched by Bookmarks when you press Save, in your Bookmarks window, where you are logged in. It works on sites with a strict Content-Security-Policy too.')));
}

function copyButton() {
  const status = h('span', { role: 'status', class: 'muted' });
  const button = h('button', { type: 'button', class: 'button secondary' }, 'Copy the code');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(await bookmarkletUrl());
      status.textContent = ' Copied. Paste it as the address of a new bookmark.';
    } catch (e) {
      status.textContent = ' Copying is not allowed here: drag the button instead.';
    }
  });
  return h('p', {}, button, status);
}
