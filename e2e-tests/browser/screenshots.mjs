// The screenshots of the README and docs/images, taken on the demo's data: logs in as a demo person
// (`deploy/local/bookmarks demo` made them) and photographs the main pages at desktop (1280x800)
// and phone (390x844) sizes, as JPEGs of what the screen shows.
//
//   cd e2e-tests/browser && npm ci && BOOKMARKS_ORIGIN=http://localhost:8080 node screenshots.mjs
//
// Environment: BOOKMARKS_ORIGIN (the gateway, default http://localhost:8080), BOOKMARKS_SCREENSHOTS
// (folder, default docs/images of this repository), BOOKMARKS_DEMO_USER (default grace: she
// follows others, so her feed shows their actions), BOOKMARKS_DEMO_PASSWORD (the demo's),
// BOOKMARKS_CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const origin = (process.env.BOOKMARKS_ORIGIN || 'http://localhost:8080').replace(/\/$/, '');
const shots = process.env.BOOKMARKS_SCREENSHOTS || join(dirname(fileURLToPath(import.meta.url)), '../../docs/images');
const user = process.env.BOOKMARKS_DEMO_USER || 'grace';
const password = process.env.BOOKMARKS_DEMO_PASSWORD || 'bookmarks-demo-2026';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const WAIT = 30_000;
mkdirSync(shots, { recursive: true });

/** What the screen shows at both sizes, once the page and its pictures have loaded. */
async function shoot(page, name) {
  for (const [size, viewport] of [['', DESKTOP], ['-phone', PHONE]]) {
    await page.setViewportSize(viewport);
    await page.waitForLoadState('networkidle').catch(() => {});
    // the pictures on screen (lazy ones further down load only when scrolled to)
    await page.waitForFunction(() => [...document.images]
      .filter(img => img.getBoundingClientRect().top < window.innerHeight)
      .every(img => img.complete && img.naturalWidth > 0), null, { timeout: WAIT });
    await page.waitForTimeout(300); // the masonry grid re-measures its cards on resize
    await page.screenshot({ path: join(shots, `${name}${size}.jpg`), type: 'jpeg', quality: 80 });
    console.log(`screenshot: ${join(shots, `${name}${size}.jpg`)}`);
  }
  await page.setViewportSize(DESKTOP);
}

const browser = await chromium.launch({
  executablePath: process.env.BOOKMARKS_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking'],
});
try {
  // A client address of its own, named as a proxy the gateway trusts names it (logins are limited per address).
  const context = await browser.newContext({ viewport: DESKTOP, extraHTTPHeaders: { 'X-Forwarded-For': '198.18.1.1' } });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForURL(/\/auth\/login/, { timeout: WAIT });
  await page.getByLabel('Username or email').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${origin}/`, { timeout: WAIT });
  await page.locator('.action').first().waitFor({ timeout: WAIT });
  await shoot(page, 'feed');

  await page.goto(`${origin}/images`);
  await page.locator('a.card-link').first().waitFor({ timeout: WAIT });
  await shoot(page, 'images');

  await page.goto(`${origin}/rankings`);
  const best = page.locator('.ranking-item a[href^="/images/"]').first();
  await best.waitFor({ timeout: WAIT });
  await shoot(page, 'rankings');

  await page.goto(`${origin}${await best.getAttribute('href')}`);
  await page.locator('.likers').waitFor({ timeout: WAIT });
  await shoot(page, 'image-detail');

  await page.goto(`${origin}/users/ada`);
  await page.getByRole('button', { name: /Follow|Unfollow/ }).waitFor({ timeout: WAIT });
  await shoot(page, 'user');
} finally {
  await browser.close();
}
