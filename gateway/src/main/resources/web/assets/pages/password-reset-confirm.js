import { post } from '../api.js';
import { h, render, field, showErrors, clearErrors, busy, formValues, flashNext } from '../ui.js';
import { loginUrl } from '../app.js';

export default async function passwordResetConfirm({ query }) {
  const token = query.get('token');
  if (!token) {
    render('Choose a new password', h('div', { class: 'narrow' },
      h('h1', {}, 'This link is incomplete'),
      h('p', {}, 'Open the link from the mail exactly as it came, or ', h('a', { href: '/password-reset' }, 'ask for a new one'), '.')));
    return;
  }
  const form = h('form', { class: 'form card-form', novalidate: true },
    field('New password', 'newPassword', { type: 'password', required: true, autocomplete: 'new-password', minlength: 10, maxlength: 128 },
      '10 to 128 characters.'),
    field('Repeat the new password', 'newPassword2', { type: 'password', required: true, autocomplete: 'new-password' }),
    h('button', { type: 'submit', class: 'button' }, 'Set the new password'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    const values = formValues(form);
    if (values.newPassword !== values.newPassword2) {
      showErrors(form, { errors: [{ field: 'newPassword2', message: 'The two passwords differ.' }] });
      return;
    }
    await busy(form, async () => {
      try {
        await post('/api/accounts/password-reset/confirm', { token, newPassword: values.newPassword });
        flashNext('Your password has been changed. Welcome back!');
        location.assign(loginUrl('/'));
      } catch (error) {
        showErrors(form, error);
        const general = form.querySelector('.form-problem');
        if (general && error.status === 400) {
          general.append(h('p', {}, h('a', { href: '/password-reset' }, 'Ask for a new link'), '.'));
        }
      }
    });
  });
  render('Choose a new password', h('div', { class: 'narrow' },
    h('h1', {}, 'Choose a new password'),
    form));
}
