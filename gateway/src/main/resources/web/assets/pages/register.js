import { post } from '../api.js';
import { h, render, field, showErrors, clearErrors, busy, formValues, flashNext } from '../ui.js';
import { loginUrl } from '../app.js';

export default async function register({ me }) {
  if (me) {
    render('Create an account', h('h1', {}, 'You already have an account'),
      h('p', {}, `You are logged in as ${me.username}. `, h('a', { href: '/' }, 'Go to your feed'), '.'));
    return;
  }
  const form = h('form', { class: 'form card-form', novalidate: true },
    field('Username', 'username', { required: true, autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', maxlength: 150 },
      'Letters, digits and @ . + - _ only.'),
    field('Email', 'email', { type: 'email', required: true, autocomplete: 'email' }),
    h('div', { class: 'field-row' },
      field('First name', 'firstName', { autocomplete: 'given-name' }),
      field('Last name', 'lastName', { autocomplete: 'family-name' })),
    field('Password', 'password', { type: 'password', required: true, autocomplete: 'new-password', minlength: 10, maxlength: 128 },
      '10 to 128 characters; a few unrelated words make a good one.'),
    field('Repeat the password', 'password2', { type: 'password', required: true, autocomplete: 'new-password' }),
    h('button', { type: 'submit', class: 'button' }, 'Create my account'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    const values = formValues(form);
    if (values.password !== values.password2) {
      showErrors(form, { errors: [{ field: 'password2', message: 'The two passwords differ.' }] });
      return;
    }
    const body = { username: values.username.trim(), email: values.email.trim(), password: values.password };
    if (values.firstName.trim()) body.firstName = values.firstName.trim();
    if (values.lastName.trim()) body.lastName = values.lastName.trim();
    await busy(form, async () => {
      try {
        await post('/api/accounts', body);
        flashNext(`Welcome to Bookmarks, ${body.firstName || body.username}! Your account is ready.`);
        location.assign(loginUrl('/'));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  render('Create an account',
    h('div', { class: 'narrow' },
      h('h1', {}, 'Create an account'),
      h('p', { class: 'lead' }, 'Save the pictures you find anywhere on the web, follow people and see what they like.'),
      form,
      h('p', {}, 'Already have an account? ', h('a', { href: loginUrl('/') }, 'Log in'), '.')));
}
