// The link mailed to a new address. Confirming takes a click, not just the visit: mail scanners
// open links too.
import { post } from '../api.js';
import { h, render, problem } from '../ui.js';

export default async function emailConfirm({ me, query }) {
  const token = query.get('token');
  const box = h('div', { class: 'narrow' });
  render('Confirm your email address', box);
  if (!token) {
    box.append(h('h1', {}, 'This link is incomplete'),
      h('p', {}, 'Open the link from the mail exactly as it came, or change the address again on ', h('a', { href: '/account#email' }, 'your account page'), '.'));
    return;
  }
  const button = h('button', { type: 'button', class: 'button' }, 'Confirm my new address');
  const status = h('div', { role: 'status' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await post('/api/accounts/email-change/confirm', { token });
      box.replaceChildren(h('h1', {}, 'Email address changed'),
        h('p', { class: 'lead' }, 'Your account now uses the new address. Mail about your account goes there from now on.'),
        h('p', {}, me ? h('a', { href: '/account' }, 'Back to your account') : h('a', { href: '/login?next=%2Faccount' }, 'Log in')));
    } catch (error) {
      button.disabled = false;
      status.replaceChildren(problem(error, h('p', {}, 'Links work once and for a limited time. Change the address again on ', h('a', { href: '/account#email' }, 'your account page'), ' to get a new one.')));
    }
  });
  box.append(h('h1', {}, 'Confirm your new email address'),
    h('p', { class: 'lead' }, 'One click and your account uses the address this link was sent to.'),
    h('p', {}, button), status);
}
