// The web app's journey in a real browser (Debian's Chromium, driven by playwright-core): two
// people register and log in through the gateway, one saves a picture from a third-party page
// with a strict Content-Security-Policy by clicking the bookmarklet, sees it in the grid and likes
// it; the other follows her and sees her actions arrive live in the feed; the rankings show the
// viewed picture; both log out. Every page is photographed at desktop and phone sizes.
//
// Environment: BOOKMARKS_ORIGIN (the gateway), BOOKMARKS_SITE (the third-party site, serving
// /article.html), BOOKMARKS_SCREENSHOTS (folder), BOOKMARKS_CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const origin = required('BOOKMARKS_ORIGIN');
const site = required('BOOKMARKS_SITE');
const shots = process.env.BOOKMARKS_SCREENSHOTS || 'target/screenshots';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const WAIT = 30_000;
mkdirSync(shots, { recursive: true });

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value.replace(/\/$/, '');
}

let step = 0;
function log(text) { console.log(`[browser ${String(++step).padStart(2, '0')}] ${text}`); }

/** A screenshot of the whole page at both sizes, after the page has settled. */
async function shoot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.screenshot({ path: join(shots, `${name}-desktop.png`), fullPage: true });
  const before = page.viewportSize();
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(150); // the masonry grid re-measures its cards on resize
  await page.screenshot({ path: join(shots, `${name}-phone.png`), fullPage: true });
  if (page.url().startsWith(origin)) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${name} fits a phone's width (${width} px)`);
  }
  await page.setViewportSize(before);
}

function watchForProblems(page, who) {
  page.on('pageerror', error => { console.log(`[${who}] page error: ${error.message}`); problems.push(`${who}: ${error.message}`); });
  page.on('console', message => {
    if (message.type() === 'error' && !/401|Unauthorized/.test(message.text())) console.log(`[${who}] console: ${message.text()}`);
    // Our pages need nothing their policy forbids (the third-party page's own inline script is refused on purpose).
    if (who !== 'site' && /Content Security Policy/.test(message.text())) problems.push(`${who}: ${message.text()}`);
  });
}
const problems = [];

const suffix = Date.now().toString(36);

/**
 * Each person as a client of their own (198.18.0.0/15, for tests), named the way a proxy the
 * gateway trusts (here: loopback) names it: registrations and logins are limited per client
 * address, and the stack's database outlives a run, as do other tests' registrations from here.
 */
function clientAddress() {
  const part = () => Math.floor(Math.random() * 256);
  return { 'X-Forwarded-For': `198.${18 + Math.floor(Math.random() * 2)}.${part()}.${part()}` };
}
const alice = { username: `alice${suffix}`, email: `alice${suffix}@example.com`, password: 'a picture is worth words', firstName: 'Alice' };
const bob = { username: `bob${suffix}`, email: `bob${suffix}@example.com`, password: 'tide tables and sea shanties', firstName: 'Bob' };

async function registerAndLogIn(page, person, shootIt) {
  await page.goto(`${origin}/register`);
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByLabel('Repeat the password').fill(person.password);
  if (shootIt) {
    // The server's problem+json errors appear next to the field they are about.
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the password').fill('short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    const passwordError = page.locator('[data-field="password"] .field-error');
    await passwordError.waitFor({ timeout: WAIT });
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
    await shoot(page, '02-register-refused');
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByLabel('Repeat the password').fill(person.password);
    await shoot(page, '02-register');
  }
  await page.getByRole('button', { name: 'Create my account' }).click();
  // The account exists; the gateway sends the person through auth-service's login page and back.
  await page.waitForURL(/\/auth\/login/, { timeout: WAIT });
  if (shootIt) await shoot(page, '03-login');
  await page.getByLabel('Username or email').fill(person.username);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${origin}/`, { timeout: WAIT });
  await page.getByRole('heading', { name: `Welcome, ${person.firstName}` }).waitFor({ timeout: WAIT });
}

const browser = await chromium.launch({
  executablePath: process.env.BOOKMARKS_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const aliceContext = await browser.newContext({ viewport: DESKTOP, extraHTTPHeaders: clientAddress() });
  const bobContext = await browser.newContext({ viewport: DESKTOP, extraHTTPHeaders: clientAddress() });
  const a = await aliceContext.newPage();
  const b = await bobContext.newPage();
  watchForProblems(a, 'alice');
  watchForProblems(b, 'bob');

  log('an anonymous visit to the feed is sent to the login page');
  await b.goto(`${origin}/`);
  await b.waitForURL(/\/auth\/login/, { timeout: WAIT });
  await shoot(b, '01-login-redirect');

  log('alice registers and logs in');
  await registerAndLogIn(a, alice, true);
  await a.getByText(`Welcome to Bookmarks, ${alice.firstName}! Your account is ready.`).waitFor({ timeout: WAIT });
  await shoot(a, '04-feed-new-account');

  log('alice finds the bookmarklet on its install page');
  await a.goto(`${origin}/bookmarklet`);
  const bookmarklet = a.getByRole('link', { name: 'Bookmark it' });
  await a.waitForFunction(() => document.querySelector('.bookmarklet-button')?.getAttribute('href').startsWith('javascript:'), null, { timeout: WAIT });
  const href = await bookmarklet.getAttribute('href');
  await shoot(a, '05-bookmarklet-install');
  const code = decodeURIComponent(href.substring('javascript:'.length));
  assert.ok(code.includes(JSON.stringify(origin)), 'the bookmarklet names the public origin');

  log('alice opens a third-party page with a strict Content-Security-Policy and clicks the bookmarklet');
  const article = await aliceContext.newPage();
  watchForProblems(article, 'site');
  const toOurOrigin = [];
  article.on('request', request => { if (request.url().startsWith(origin)) toOurOrigin.push(request.url()); });
  const response = await article.goto(`${site}/article.html`);
  assert.match(response.headers()['content-security-policy'], /default-src 'self'/);
  assert.equal(await article.evaluate(() => document.body.dataset.inlineScriptRan || 'no'), 'no', 'the page CSP blocks inline scripts');
  // A bookmark click runs its javascript: URL in the page, outside the page's script-src, just as this does.
  await article.evaluate(code);
  const overlay = article.getByRole('dialog', { name: 'Save a picture to Bookmarks' });
  await overlay.waitFor({ timeout: WAIT });
  const choices = overlay.getByRole('button', { name: /Save this picture/ });
  assert.equal(await choices.count(), 2, 'the large picture and og:image, not the 40 px icon');
  await shoot(article, '06-bookmarklet-overlay');
  const [saveWindow] = await Promise.all([
    aliceContext.waitForEvent('page', { timeout: WAIT }),
    choices.first().click(),
  ]);
  assert.equal(await overlay.count(), 0, 'the overlay closes after the pick');
  assert.deepEqual(toOurOrigin, [], 'the bookmarklet sends nothing to our origin from the page');

  log('the save page opens with the picture (largest srcset candidate) and the page title');
  watchForProblems(saveWindow, 'save');
  await saveWindow.waitForURL(/\/images\/new\?/, { timeout: WAIT });
  const pictureUrl = `${site}/pictures/harbour-large.png`;
  assert.equal(new URL(saveWindow.url()).searchParams.get('url'), pictureUrl);
  await saveWindow.getByLabel('Title').waitFor({ timeout: WAIT });
  assert.equal(await saveWindow.getByLabel('Title').inputValue(), 'Harbour at dawn');
  assert.equal(await saveWindow.getByLabel('Picture address').inputValue(), pictureUrl);
  await saveWindow.getByLabel('Description').fill('Fishing boats waiting for the tide.');
  await shoot(saveWindow, '07-save-picture');
  await saveWindow.getByRole('button', { name: 'Save' }).click();
  await saveWindow.waitForURL(/\/images\/[0-9a-f-]{36}\/harbour-at-dawn(-[a-z0-9]+)?$/, { timeout: WAIT });
  await saveWindow.getByText('Image saved').waitFor({ timeout: WAIT });
  await saveWindow.getByRole('heading', { name: 'Harbour at dawn' }).waitFor();
  const imagePage = saveWindow.url();
  await saveWindow.close();
  await article.close();

  log('alice sees her picture in the grid');
  await a.goto(`${origin}/images`);
  const card = a.locator(`a.card-link[href="${new URL(imagePage).pathname}"]`);
  await card.waitFor({ timeout: WAIT });
  assert.match(await card.innerText(), /Harbour at dawn/);
  await shoot(a, '08-images-grid');

  log('bob registers, logs in and follows alice');
  await registerAndLogIn(b, bob, false);
  await b.goto(`${origin}/users`);
  await b.getByRole('link', { name: new RegExp(alice.firstName) }).first().waitFor({ timeout: WAIT }).catch(() => {});
  await shoot(b, '09-people');
  await b.goto(`${origin}/users/${alice.username}`);
  const follow = b.getByRole('button', { name: 'Follow' });
  await follow.click();
  await b.getByRole('button', { name: 'Unfollow' }).waitFor({ timeout: WAIT });
  await b.getByText('1 follower', { exact: true }).waitFor();
  await shoot(b, '10-user-page');

  log('bob watches his feed; alice likes her picture and bob sees it arrive without a reload');
  await b.goto(`${origin}/`);
  await b.locator('.live-state.on').waitFor({ timeout: WAIT });
  await b.evaluate(() => { window.notReloaded = true; });
  await a.goto(imagePage);
  const like = a.getByRole('button', { name: /Like/ });
  await like.waitFor();
  assert.equal(await like.getAttribute('aria-pressed'), 'false');
  await like.click();
  await a.getByRole('button', { name: /Unlike/ }).waitFor({ timeout: WAIT });
  assert.equal(await a.getByRole('button', { name: /Unlike/ }).getAttribute('aria-pressed'), 'true');
  await a.locator('.likers').getByText(alice.username).waitFor({ timeout: WAIT });
  await shoot(a, '11-image-detail');
  const liveLike = b.locator('.action', { hasText: `${alice.username} likes Harbour at dawn` });
  await liveLike.waitFor({ timeout: 60_000 });
  assert.equal(await b.evaluate(() => window.notReloaded), true, 'the feed was not reloaded');
  await b.locator('.action', { hasText: `${alice.username} bookmarked Harbour at dawn` }).waitFor({ timeout: WAIT });
  await shoot(b, '12-feed-live');

  log('bob views the picture and the rankings show it');
  await b.goto(imagePage);
  await b.getByRole('heading', { name: 'Harbour at dawn' }).waitFor({ timeout: WAIT });
  await b.goto(`${origin}/rankings`);
  const deadline = Date.now() + 60_000;
  const imageId = new URL(imagePage).pathname.split('/')[2];
  while (!(await b.locator(`.ranking-item a[href^="/images/${imageId}/"]`).count())) {
    assert.ok(Date.now() < deadline, 'the viewed picture reaches the rankings within a minute');
    await b.waitForTimeout(1000);
    await b.reload();
    await b.locator('.ranking, .empty, .problem').first().waitFor({ timeout: WAIT });
  }
  await shoot(b, '13-rankings');

  log('the other pages render');
  await a.goto(`${origin}/account`);
  await a.getByRole('heading', { name: 'Your account' }).waitFor({ timeout: WAIT });
  await a.getByLabel('Last name').fill('Liddell');
  await a.getByRole('button', { name: 'Save changes' }).click();
  await a.getByText('Profile updated').waitFor({ timeout: WAIT });
  const photo = Buffer.from(await (await fetch(`${site}/pictures/harbour-small.png`)).arrayBuffer());
  await a.getByLabel('New photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: photo });
  await a.getByRole('button', { name: 'Upload photo' }).click();
  await a.getByText('Photo updated').waitFor({ timeout: WAIT });
  await a.locator('.account-photo img.avatar').waitFor();
  await shoot(a, '14-account');
  await a.goto(`${origin}/users/${alice.username}`);
  await a.getByRole('heading', { name: 'Alice Liddell' }).waitFor({ timeout: WAIT });
  await shoot(a, '15-own-page');

  log('both log out; the feed then asks for a login again');
  for (const [page, who] of [[a, 'alice'], [b, 'bob']]) {
    await page.goto(`${origin}/`);
    await page.locator('.live-state.on').waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForLoadState('networkidle');
    await page.goto(`${origin}/`);
    await page.waitForURL(/\/auth\/login/, { timeout: WAIT });
    log(`${who} is logged out`);
  }

  log('the pages for people without a session');
  const anonymous = await browser.newPage({ viewport: DESKTOP, extraHTTPHeaders: clientAddress() });
  watchForProblems(anonymous, 'anonymous');
  await anonymous.goto(`${origin}/password-reset`);
  await anonymous.getByRole('heading', { name: 'Forgot your password?' }).waitFor({ timeout: WAIT });
  await shoot(anonymous, '16-password-reset');
  await anonymous.getByLabel('Email').fill(alice.email);
  await anonymous.getByRole('button', { name: 'Send me a link' }).click();
  await anonymous.getByRole('heading', { name: 'Check your mail' }).waitFor({ timeout: WAIT });
  await anonymous.goto(`${origin}/password-reset/confirm?token=not-a-real-token`);
  await anonymous.getByLabel('New password', { exact: true }).fill('a new password that is long');
  await anonymous.getByLabel('Repeat the new password').fill('a new password that is long');
  await anonymous.getByRole('button', { name: 'Set the new password' }).click();
  await anonymous.getByRole('alert').first().waitFor({ timeout: WAIT });
  await shoot(anonymous, '17-password-reset-confirm-refused');
  await anonymous.goto(`${origin}/account/email/confirm?token=not-a-real-token`);
  await anonymous.getByRole('button', { name: 'Confirm my new address' }).click();
  await anonymous.getByRole('alert').first().waitFor({ timeout: WAIT });
  await shoot(anonymous, '18-email-confirm-refused');

  assert.deepEqual(problems, [], 'no script errors or policy violations in our pages');
  console.log('browser journey: every step passed');
} catch (error) {
  // What each window showed when the step failed, for whoever reads the test output.
  let n = 0;
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      const file = join(shots, `failure-${++n}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`failure screenshot of ${page.url()}: ${file}`);
    }
  }
  throw error;
} finally {
  await browser.close();
}
