import { post } from '../api.js';
import { h, render, field, showErrors, clearErrors, busy, formValues } from '../ui.js';
import { loginUrl } from '../app.js';

export default async function passwordReset() {
  const form = h('form', { class: 'form card-form', novalidate: true },
    field('Email', 'email', { type: 'email', required: true, autocomplete: 'email' }),
    h('button', { type: 'submit', class: 'button' }, 'Send me a link'));
  const box = h('div', { class: 'narrow' },
    h('h1', {}, 'Forgot your password?'),
    h('p', { class: 'lead' }, 'Give the email address of your account and we send you a link to choose a new password.'),
    form,
    h('p', {}, 'Remembered it? ', h('a', { href: loginUrl('/') }, 'Log in'), '.'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    const { email } = formValues(form);
    if (!email.trim()) {
      showErrors(form, { errors: [{ field: 'email', message: 'Give your email address.' }] });
      return;
    }
    await busy(form, async () => {
      try {
        await post('/api/accounts/password-reset', { email: email.trim() });
        box.replaceChildren(
          h('h1', {}, 'Check your mail'),
          h('p', { class: 'lead', role: 'status' }, `If an account has the address ${email.trim()}, a link to choose a new password is on its way. It works once, for one hour.`),
          h('p', {}, 'Nothing came? Look in the spam folder, or ', h('a', { href: '/password-reset' }, 'ask again'), '.'));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  render('Forgot your password', box);
}
