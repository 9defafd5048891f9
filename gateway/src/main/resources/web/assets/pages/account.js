// Profile, photo, password and email, each its own small form with its own messages.
import { get, patch, put, post } from '../api.js';
import { h, render, field, showErrors, clearErrors, busy, formValues, showFlash, avatar, userPath } from '../ui.js';

export default async function account() {
  let me = await get('/api/accounts/me');

  const profile = h('form', { class: 'form', novalidate: true },
    h('div', { class: 'field-row' },
      field('First name', 'firstName', { autocomplete: 'given-name', value: me.firstName || '' }),
      field('Last name', 'lastName', { autocomplete: 'family-name', value: me.lastName || '' })),
    field('Date of birth', 'dateOfBirth', { type: 'date', value: me.dateOfBirth || '' }),
    h('button', { type: 'submit', class: 'button' }, 'Save changes'));
  profile.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(profile);
    const v = formValues(profile);
    const body = { firstName: v.firstName.trim() || null, lastName: v.lastName.trim() || null, dateOfBirth: v.dateOfBirth || null };
    await busy(profile, async () => {
      try {
        me = await patch('/api/accounts/me', body);
        showFlash('Profile updated');
      } catch (error) { showErrors(profile, error); }
    });
  });

  const picture = h('div', { class: 'account-photo' }, avatar(me, 96));
  const photo = h('form', { class: 'form', novalidate: true },
    picture,
    field('New photo', 'file', { type: 'file', accept: 'image/jpeg,image/png,image/gif,image/webp', required: true },
      'JPEG, PNG, GIF or WebP, at most 5 MiB. It is cropped to a square.'),
    h('button', { type: 'submit', class: 'button' }, 'Upload photo'));
  photo.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(photo);
    const file = photo.elements.file.files[0];
    if (!file) { showErrors(photo, { errors: [{ field: 'file', message: 'Choose a picture first.' }] }); return; }
    if (file.size > 5 * 1024 * 1024) { showErrors(photo, { errors: [{ field: 'file', message: 'This file is over 5 MiB.' }] }); return; }
    const data = new FormData();
    data.append('file', file);
    await busy(photo, async () => {
      try {
        me = await put('/api/accounts/me/photo', data);
        picture.replaceChildren(avatar(me, 96));
        photo.reset();
        showFlash('Photo updated');
      } catch (error) { showErrors(photo, error); }
    });
  });

  const password = h('form', { class: 'form', novalidate: true },
    h('input', { type: 'text', name: 'username', autocomplete: 'username', value: me.username, hidden: true }),
    field('Current password', 'currentPassword', { type: 'password', required: true, autocomplete: 'current-password' }),
    field('New password', 'newPassword', { type: 'password', required: true, autocomplete: 'new-password', minlength: 10, maxlength: 128 }, '10 to 128 characters.'),
    h('button', { type: 'submit', class: 'button' }, 'Change password'));
  password.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(password);
    const v = formValues(password);
    await busy(password, async () => {
      try {
        await post('/api/accounts/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
        password.reset();
        showFlash('Password changed. Your other sessions have been logged out.');
      } catch (error) { showErrors(password, error); }
    });
  });

  const email = h('form', { class: 'form', novalidate: true },
    h('p', {}, 'Your address now: ', h('strong', {}, me.email || 'none')),
    field('New email address', 'email', { type: 'email', required: true, autocomplete: 'email' }),
    field('Current password', 'currentPassword', { type: 'password', required: true, autocomplete: 'current-password' }),
    h('button', { type: 'submit', class: 'button' }, 'Change email'));
  email.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(email);
    const v = formValues(email);
    await busy(email, async () => {
      try {
        await patch('/api/accounts/me', { email: v.email.trim(), currentPassword: v.currentPassword });
        email.reset();
        showFlash(`We sent a confirmation link to ${v.email.trim()}. The new address counts once you follow it.`);
      } catch (error) { showErrors(email, error); }
    });
  });

  const section = (id, title, ...content) => h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...content);
  render('Your account',
    h('div', { class: 'heading-row' }, h('h1', {}, 'Your account'), h('a', { href: userPath(me.username) }, 'See your public page')),
    h('p', { class: 'muted' }, `Logged in as ${me.username}.`),
    h('div', { class: 'account-grid' },
      section('profile', 'Profile', profile),
      section('photo', 'Photo', photo),
      section('password', 'Password', password),
      section('email', 'Email address', email)));
  if (location.hash) document.querySelector(location.hash)?.scrollIntoView();
}
