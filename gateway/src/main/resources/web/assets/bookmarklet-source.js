// The bookmarklet. The install page turns this file into a javascript: URL with the public origin
// filled in. It runs inside somebody else's page, under that page's Content-Security-Policy, so it
// loads nothing from our origin and calls no API: it only reads the page, draws its overlay with
// DOM and CSSOM calls (element.style.x, which a style-src policy allows, unlike style attributes),
// and opens our save page in a new window with the picture's URL and the page's title.
(function () {
var ORIGIN = __ORIGIN__;
var MIN = 100;
var ID = 'bookmarks-bookmarklet-overlay';
var old = document.getElementById(ID);
if (old) { old.parentNode.removeChild(old); }
var found = [];
var seen = {};
function absolute(url) {
try { var u = new URL(url, document.baseURI); return /^https?:$/.test(u.protocol) ? u.href : null; } catch (e) { return null; }
}
function add(url, width, height) {
url = absolute(url);
if (!url || seen[url]) { return; }
seen[url] = true;
found.push({ url: url, width: width, height: height });
}
// The largest candidate of a srcset: by its w descriptor, else by density times the natural width.
function largest(img) {
var best = img.currentSrc || img.src;
var bestWidth = img.naturalWidth || 0;
var sets = [img.getAttribute('srcset') || ''];
var picture = img.parentNode && img.parentNode.nodeName === 'PICTURE' ? img.parentNode : null;
if (picture) {
var sources = picture.getElementsByTagName('source');
for (var s = 0; s < sources.length; s++) { sets.push(sources[s].getAttribute('srcset') || ''); }
}
for (var i = 0; i < sets.length; i++) {
var candidates = sets[i].split(/,\s+/);
for (var c = 0; c < candidates.length; c++) {
var parts = candidates[c].trim().split(/\s+/);
if (!parts[0]) { continue; }
var descriptor = parts[1] || '1x';
var value = parseFloat(descriptor) || 1;
var width = /w$/.test(descriptor) ? value : value * (img.width || img.naturalWidth || 0);
if (width > bestWidth) { bestWidth = width; best = parts[0]; }
}
}
return { url: best, scale: img.naturalWidth ? Math.max(1, bestWidth / img.naturalWidth) : 1 };
}
var images = document.images;
for (var i = 0; i < images.length; i++) {
var img = images[i];
if (img.naturalWidth >= MIN && img.naturalHeight >= MIN) {
var pick = largest(img);
add(pick.url, Math.round(img.naturalWidth * pick.scale), Math.round(img.naturalHeight * pick.scale));
}
}
var metas = document.querySelectorAll('meta[property="og:image"], meta[property="og:image:url"], meta[property="og:image:secure_url"], meta[name="og:image"]');
function metaNumber(name) {
var m = document.querySelector('meta[property="' + name + '"]');
return m ? parseInt(m.getAttribute('content'), 10) : NaN;
}
var ogWidth = metaNumber('og:image:width');
var ogHeight = metaNumber('og:image:height');
for (var j = 0; j < metas.length; j++) {
var content = metas[j].getAttribute('content');
if (content && !(ogWidth < MIN || ogHeight < MIN)) { add(content, ogWidth || 0, ogHeight || 0); }
}
function css(el, styles) { for (var k in styles) { el.style[k] = styles[k]; } return el; }
function el(tag, styles, text) { var e = css(document.createElement(tag), styles || {}); if (text) { e.textContent = text; } return e; }
var overlay = el('div', { position: 'fixed', top: '0', left: '0', right: '0', bottom: '0', zIndex: '2147483647', background: 'rgba(15,23,20,.72)', display: 'flex', alignItems: 'flex-start', justifyContent: 'center', overflowY: 'auto', font: '16px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif', color: '#17201c' });
overlay.id = ID;
var panel = el('div', { background: '#fff', borderRadius: '12px', margin: '24px 12px', padding: '20px', maxWidth: '880px', width: '100%', boxShadow: '0 12px 40px rgba(0,0,0,.35)', boxSizing: 'border-box', textAlign: 'left' });
panel.setAttribute('role', 'dialog');
panel.setAttribute('aria-modal', 'true');
panel.setAttribute('aria-label', 'Save a picture to Bookmarks');
var head = el('div', { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', marginBottom: '12px' });
var title = el('h2', { margin: '0', font: '600 20px/1.3 system-ui,-apple-system,Segoe UI,Roboto,sans-serif', color: '#17201c' }, found.length ? 'Pick a picture to save on Bookmarks' : 'No pictures to save here');
var close = el('button', { border: '1px solid #c9d3ce', background: '#fff', color: '#17201c', borderRadius: '8px', padding: '6px 12px', font: 'inherit', cursor: 'pointer' }, 'Close');
close.type = 'button';
head.appendChild(title);
head.appendChild(close);
panel.appendChild(head);
if (!found.length) {
panel.appendChild(el('p', { margin: '0', color: '#3d4a44' }, 'Bookmarks saves pictures of at least ' + MIN + ' × ' + MIN + ' pixels, and this page shows none.'));
}
var grid = el('div', { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: '12px' });
function finish() {
document.removeEventListener('keydown', onKey, true);
if (overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
}
function onKey(event) { if (event.key === 'Escape') { finish(); } }
found.forEach(function (picture) {
var button = el('button', { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: '6px', border: '2px solid #dfe6e2', borderRadius: '10px', background: '#f6f8f7', padding: '8px', cursor: 'pointer', font: '13px/1.3 system-ui,sans-serif', color: '#3d4a44' });
button.type = 'button';
button.setAttribute('aria-label', 'Save this picture' + (picture.width ? ' (' + picture.width + ' × ' + picture.height + ')' : ''));
var thumb = el('img', { width: '100%', height: '130px', objectFit: 'contain', display: 'block' });
thumb.src = picture.url;
thumb.alt = '';
button.appendChild(thumb);
button.appendChild(el('span', {}, picture.width ? picture.width + ' × ' + picture.height : 'og:image'));
button.addEventListener('focus', function () { button.style.borderColor = '#1f6f5c'; });
button.addEventListener('blur', function () { button.style.borderColor = '#dfe6e2'; });
button.addEventListener('mouseenter', function () { button.style.borderColor = '#1f6f5c'; });
button.addEventListener('mouseleave', function () { button.style.borderColor = '#dfe6e2'; });
button.addEventListener('click', function () {
finish();
window.open(ORIGIN + '/images/new?url=' + encodeURIComponent(picture.url) + '&title=' + encodeURIComponent(document.title || ''), '_blank', 'noopener');
});
grid.appendChild(button);
});
panel.appendChild(grid);
overlay.appendChild(panel);
close.addEventListener('click', finish);
overlay.addEventListener('click', function (event) { if (event.target === overlay) { finish(); } });
document.addEventListener('keydown', onKey, true);
document.body.appendChild(overlay);
(found.length ? grid.querySelector('button') : close).focus();
})();
