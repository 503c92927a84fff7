// The dashboard's entry point: sign-in, routing and refresh. The API key comes from ?key= (then removed from the
// address bar) or the sign-in form, and lives in sessionStorage for the tab only. Each role sees its own view:
// the API answers only what the key may read (docs/api.md), and the page shows what it is given.
import { $, api, KEY_STORAGE, state, toast } from './dashboard-core.js';
import { loadAccount } from './dashboard-account.js';
import { loadFeedHistory, openStream, setLive } from './dashboard-feed.js';
import { loadCountries, loadHead, loadOverview, loadVeus } from './dashboard-overview.js';

function takeKeyFromUrl() {
  const url = new URL(window.location.href);
  const key = url.searchParams.get('key');
  if (key) {
    sessionStorage.setItem(KEY_STORAGE, key);
    url.searchParams.delete('key');
    history.replaceState(null, '', url.pathname + (url.search || '') + url.hash);
  }
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  state.key = null;
  if (state.stream) state.stream.close();
  state.stream = null;
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('signin').hidden = false;
  setLive('off');
  const err = $('signin-error');
  err.hidden = !message;
  err.textContent = message || '';
}

async function signIn(key) {
  state.key = key;
  try {
    state.me = await api('me');
  } catch (e) {
    if (e.status !== 401) signOut('Cannot reach the API: ' + e.message);
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  $('signin').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  // Under a timeline the pill names it; each entry and alert names the pack that judged it.
  $('policy-pill').textContent = (state.me.policy.timeline ? 'timeline ' : 'policy ') + state.me.policy.id + ' v' + state.me.policy.version;
  $('policy-pill').title = state.me.policy.title + ' — signed in as ' + state.me.role + (state.me.org ? ' (' + state.me.org + ')' : '');
  document.body.dataset.role = state.me.role;
  // The feed starts with the latest alerts, and the stream resumes right after the newest of them, so nothing
  // raised in between is missed.
  await loadFeedHistory().catch((e) => toast('Cannot load alerts: ' + e.message));
  openStream();
  route();
}

function route() {
  if (!state.key) return;
  const hash = decodeURIComponent(window.location.hash || '#/');
  const m = /^#\/account\/(.+)$/.exec(hash);
  // #/licences and #/licences/ID: licences.js.
  const lic = /^#\/licences(?:\/(.+))?$/.exec(hash);
  document.querySelectorAll('.topnav a[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === (lic ? 'licences' : m ? '' : 'overview')));
  $('view-overview').hidden = !!m || !!lic;
  $('view-account').hidden = !m;
  $('view-licences').hidden = !lic;
  state.route = lic ? { view: 'licences', id: lic[1] || null } : m ? { view: 'account', id: m[1] } : { view: 'overview' };
  const loading = lic ? window.LicenceViews.show(state.route.id, api) : m ? loadAccount(m[1]) : loadOverview();
  loading.catch((e) => toast(e.message));
}

// After a new alert: reload the visible view.
function refresh() {
  if (!state.route || !state.key) return;
  if (state.route.view === 'overview') {
    loadHead();
    if (state.me.role !== 'cloud-provider') loadCountries().catch(() => undefined);
    if (state.me.role !== 'chipmaker') loadVeus().catch(() => undefined);
  } else if (state.route.view === 'licences') {
    window.LicenceViews.show(state.route.id, api, true);
  } else {
    loadAccount(state.route.id, true).catch(() => undefined);
  }
}

state.refresh = refresh;
state.signOut = signOut;
$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  signIn($('signin-key').value.trim());
});
$('sign-out').addEventListener('click', () => signOut(''));
window.addEventListener('hashchange', route);
takeKeyFromUrl();
const saved = sessionStorage.getItem(KEY_STORAGE);
if (saved) signIn(saved);
else signOut('');
