// What the bookmarklet opens: the picture's URL and the page's title arrive in the query; the
// person checks them, adds a description, and the server downloads the picture on Save.
import { post } from '../api.js';
import { h, render, field, showErrors, clearErrors, busy, formValues, flashNext, imagePath } from '../ui.js';

export default async function imageNew({ query }) {
  const url = (query.get('url') || '').trim();
  const title = (query.get('title') || '').trim().slice(0, 200);
  const preview = h('figure', { class: 'preview', dataset: { field: 'url' } });
  const showPreview = value => {
    if (!/^https?:\/\//i.test(value)) {
      preview.replaceChildren(h('p', { class: 'muted' }, 'Give the address of a picture (http or https) to see it here.'));
      return;
    }
    const img = h('img', { src: value, alt: 'The picture to save', referrerpolicy: 'no-referrer' });
    img.addEventListener('error', () => img.replaceWith(h('p', { class: 'muted' },
      'Your browser cannot show this picture here; Bookmarks fetches it itself when you save.')));
    preview.replaceChildren(img, h('figcaption', { class: 'muted' }, 'From ', h('span', { class: 'break' }, hostOf(value))));
  };
  showPreview(url);
  const form = h('form', { class: 'form', novalidate: true },
    field('Picture address', 'url', { type: 'url', required: true, value: url, inputmode: 'url', spellcheck: 'false' }),
    field('Title', 'title', { required: true, maxlength: 200, value: title }),
    field('Description', 'description', { multiline: true, maxlength: 2000, rows: 4 }, 'What is it, and why do you like it?'),
    h('div', { class: 'actions-row' },
      h('button', { type: 'submit', class: 'button' }, 'Save'),
      h('a', { href: '/images', class: 'button secondary' }, 'Cancel')));
  form.elements.url.addEventListener('change', () => showPreview(form.elements.url.value.trim()));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const missing = [];
    if (!v.url.trim()) missing.push({ field: 'url', message: 'Give the address of the picture.' });
    if (!v.title.trim()) missing.push({ field: 'title', message: 'Give the picture a title.' });
    if (missing.length) { showErrors(form, { errors: missing }); return; }
    const body = { url: v.url.trim(), title: v.title.trim() };
    if (v.description.trim()) body.description = v.description.trim();
    const button = form.querySelector('button[type=submit]');
    await busy(form, async () => {
      button.textContent = 'Saving… (fetching the picture)';
      try {
        const image = await post('/api/images', body);
        flashNext('Image saved');
        location.assign(imagePath(image));
      } catch (error) {
        if (error.status === 409 && error.problem.existingId) {
          clearErrors(form);
          form.prepend(h('div', { class: 'problem form-problem', role: 'alert' },
            h('p', {}, 'You already saved this picture. ', h('a', { href: imagePath({ id: error.problem.existingId, slug: 'image' }) }, 'See it'), '.')));
          return;
        }
        showErrors(form, error);
      }
    });
  });
  render('Save a picture',
    h('h1', {}, 'Save a picture'),
    h('div', { class: 'save-layout' }, preview, form));
}

function hostOf(value) {
  try { return new URL(value).host; } catch (e) { return value; }
}
