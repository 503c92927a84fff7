// The live alert feed: the latest alerts the caller may see, then new ones streamed over Server-Sent Events. The
// stream ends when the key is revoked (event "end"), and is not reopened then.
import { $, accountHref, api, esc, fmtDateTime, fmtPct, fmtThreshold, state } from './dashboard-core.js';

const FEED_ITEMS_MAX = 100;

export async function loadFeedHistory() {
  const feed = $('alert-feed');
  if (feed.dataset.loaded) return;
  const page = await api('alerts?limit=30');
  feed.dataset.loaded = '1';
  for (const alert of page.items.slice().reverse()) addAlert(alert, false);
  if (page.items.length > 0) state.lastAlertSeq = page.items[0].seq;
}

function alertTitle(a) {
  switch (a.kind) {
    case 'THRESHOLD_CROSSED':
      return 'Crossed ' + fmtThreshold(a.threshold);
    case 'CAP_EXCEEDED':
      return 'Cap exceeded';
    case 'PROHIBITED_DESTINATION':
      return 'Prohibited destination';
    case 'UNAUTHORIZED':
      return 'Unauthorized';
    default:
      return a.kind;
  }
}

function addAlert(a, fresh) {
  const feed = $('alert-feed');
  if (feed.querySelector(`[data-alert-id="${CSS.escape(a.alertId)}"]`)) return;
  const li = document.createElement('li');
  li.setAttribute('data-alert-id', a.alertId);
  li.setAttribute('data-severity', a.severity);
  li.setAttribute('data-testid', 'alert-item');
  if (fresh) li.className = 'fresh';
  // Amounts are null where the account is not the caller's to read (the alert still says what its event did).
  const util = a.utilization === null ? '' : ' · ' + fmtPct(a.utilization) + ' used';
  li.innerHTML =
    `<div class="feed-top"><span class="kind">${esc(alertTitle(a))}</span><span class="sev">${esc(a.severity)}</span></div>` +
    `<a class="acct" href="${esc(accountHref(a.account))}">${esc(a.account)}</a>` +
    `<div class="meta">${esc(fmtDateTime(a.at))}${esc(util)} · by ${esc(a.causedBy.publisher)}/${esc(a.causedBy.eventId)}` +
    `${a.policy ? ' · judged under ' + esc(a.policy.id + ' ' + a.policy.version) : ''}</div>`;
  feed.insertBefore(li, feed.firstChild);
  while (feed.children.length > FEED_ITEMS_MAX) feed.removeChild(feed.lastChild);
  state.alertCount = feed.children.length;
  $('alert-count').textContent = String(state.alertCount);
  $('feed-empty').hidden = state.alertCount > 0;
}

export function setLive(mode) {
  const el = $('live-status');
  el.dataset.state = mode;
  el.querySelector('span').textContent = mode === 'on' ? 'live' : mode === 'retry' ? 'reconnecting' : 'offline';
}

export function openStream() {
  if (state.stream) state.stream.close();
  // EventSource cannot send headers, so the stream takes the key as ?key=; it reconnects by itself and resumes
  // after the last alert id it saw.
  const since = state.lastAlertSeq !== undefined ? '&since=' + encodeURIComponent(state.lastAlertSeq) : '';
  const stream = new EventSource('alerts/stream?key=' + encodeURIComponent(state.key) + since);
  state.stream = stream;
  stream.addEventListener('ready', () => setLive('on'));
  stream.addEventListener('alert', (ev) => {
    addAlert(JSON.parse(ev.data), true);
    scheduleRefresh();
  });
  stream.addEventListener('end', (ev) => {
    stream.close();
    setLive('off');
    state.signOut(JSON.parse(ev.data).reason);
  });
  stream.onerror = () => setLive(stream.readyState === EventSource.CLOSED ? 'off' : 'retry');
}

// New alerts mean balances moved: refresh the visible view, at most once a second.
function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(() => state.refresh(), 1000);
}
