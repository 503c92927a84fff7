// One account: its figures and thresholds for every caller who may read it; its balance chart and entries only
// for a caller who reads it in full (a chipmaker reads a country only as its current total: its history would
// date and size other companies' shipments).
import { $, api, bandOf, countryName, esc, fmtDate, fmtDateTime, fmtInt, fmtPct, fmtThreshold, fmtTpp } from './dashboard-core.js';
import { drawBalanceChart } from './dashboard-chart.js';
import { attachVerify, verifyButton } from './dashboard-verify.js';

const KIND_LABELS = {
  country: 'Country allocation',
  lpp: 'LPP exception (per consignee and year)',
  nveu: 'National VEU installed base',
  'uveu-shipped': 'Universal VEU shipments',
  installed: 'VEU installed base in one country',
  'uveu-outside-tier1': 'Universal VEU: outside Tier 1',
  'uveu-country': 'Universal VEU: one non-Tier-1 country',
  'uveu-outside-us': 'Universal VEU: outside the US',
};

// The account whose older entries "Show older entries" added: a quiet refresh redraws the newest 25 only, so it
// leaves the entries of such an account as they are.
const older = { account: null };

export async function loadAccount(id, quiet) {
  if (!quiet || older.account !== id) older.account = null;
  if (!quiet) {
    $('acct-title').textContent = id;
    $('acct-chart').innerHTML = '<p class="empty">Loading…</p>';
    $('acct-entries').innerHTML = '';
  }
  let a;
  try {
    a = await api('accounts/' + encodeURIComponent(id));
  } catch (e) {
    $('acct-kind').textContent = '';
    $('acct-sub').textContent = e.status === 403 ? 'Your key may not read this account.' : e.status === 404 ? 'No such account.' : e.message;
    $('acct-chart').innerHTML = '';
    return;
  }
  renderFigures(a);
  renderThresholds(a);
  if (a.access === 'full') await loadHistory(id, a);
  else showHistoryWithheld();
}

function renderFigures(a) {
  $('acct-kind').textContent = KIND_LABELS[a.kind] || a.kind;
  $('acct-title').textContent = a.account;
  const parts = [];
  if (a.country) parts.push(countryName(a.country) + (a.tier ? ' · Tier ' + a.tier : ''));
  if (a.veuId) parts.push('VEU ' + a.veuId);
  if (a.lastOccurredAt) parts.push('latest event ' + fmtDate(a.lastOccurredAt));
  if (a.access === 'aggregate') parts.push('current total only');
  $('acct-sub').textContent = parts.join(' · ');
  const u = a.utilization;
  $('acct-util').textContent = fmtPct(u);
  $('acct-util').style.color = u === null ? '#94a3b8' : bandOf(u).color;
  $('acct-used').textContent = fmtInt(a.usedTpp);
  $('acct-used').title = fmtTpp(a.usedTpp) + ' TPP';
  $('acct-cap').textContent = a.capTpp === null ? 'uncapped' : fmtInt(a.capTpp);
  $('acct-rate').textContent = a.forecast.ratePerDayTpp === null ? '—' : fmtTpp(Math.round(a.forecast.ratePerDayTpp)) + ' / day';
  $('acct-exhaust').textContent = forecastText(a.forecast);
  $('acct-exhaust').style.color = a.forecast.status === 'projected' || a.forecast.status === 'exhausted' ? '#dc2626' : '';
}

function renderThresholds(a) {
  const list = $('acct-thresholds');
  list.innerHTML = '';
  for (const t of a.thresholds) {
    const li = document.createElement('li');
    const chip = t.crossed ? '<span class="chip crossed">crossed</span>' : t.timesCrossed > 0 ? '<span class="chip rearmed">re-armed</span>' : '<span class="chip">armed</span>';
    const when = t.lastCrossedAt ? 'last crossed ' + esc(fmtDate(t.lastCrossedAt)) : t.crossed ? 'reached' : 'not reached';
    li.innerHTML = `<span><strong>${esc(fmtThreshold(t.threshold))}</strong> <span class="sub">${when}</span></span>${chip}`;
    list.appendChild(li);
  }
  if (a.capExceeded) {
    const li = document.createElement('li');
    li.innerHTML = '<span><strong>Cap</strong> <span class="sub">usage is above the cap in force</span></span><span class="chip crossed">exceeded</span>';
    list.appendChild(li);
  }
}

async function loadHistory(id, a) {
  const series = await api('accounts/' + encodeURIComponent(id) + '/balance-series?points=240');
  drawBalanceChart($('acct-chart'), a, series);
  document.querySelector('table.entries').hidden = false;
  $('entries-sub').textContent = 'Newest first; each entry is hash-chained to the one before it. Verify checks an entry\'s signed proof in your browser.';
  if (older.account === id) return;
  const entries = await api('accounts/' + encodeURIComponent(id) + '/entries?limit=25');
  $('acct-entries').innerHTML = entries.items.map(entryRow).join('');
  attachVerify($('acct-entries'));
  showMore(id, entries.nextCursor);
}

function entryRow(e) {
  return (
    `<tr><td class="mono">${esc(e.seq)}</td><td>${esc(fmtDateTime(e.occurredAt))}</td>` +
    `<td class="mono">${esc(e.event.publisher)}/${esc(e.event.eventId)}</td>` +
    `<td class="num ${e.deltaTpp >= 0 ? 'pos' : 'neg'}">${e.deltaTpp >= 0 ? '+' : ''}${esc(fmtInt(e.deltaTpp))}</td>` +
    `<td class="num">${esc(fmtInt(e.balanceTpp))}</td><td class="num">${esc(e.capTpp === null ? '—' : fmtInt(e.capTpp))}</td>` +
    `<td class="mono">${esc(e.policy ? e.policy.id + ' ' + e.policy.version : '')}</td><td>${verifyButton(e.seq)}</td></tr>`
  );
}

// The next page of older entries (keyset cursor), 100 at a time, appended below the ones shown.
function showMore(id, cursor) {
  const row = $('acct-entries-more-row');
  const button = $('acct-entries-more');
  row.hidden = !cursor;
  button.disabled = false;
  button.textContent = 'Show older entries';
  button.onclick = async () => {
    button.disabled = true;
    try {
      const page = await api('accounts/' + encodeURIComponent(id) + '/entries?limit=100&cursor=' + encodeURIComponent(cursor));
      const body = document.createElement('tbody');
      body.innerHTML = page.items.map(entryRow).join('');
      $('acct-entries').append(...body.children);
      older.account = id;
      showMore(id, page.nextCursor);
    } catch (e) {
      button.textContent = 'Could not load older entries (' + (e.message || e.status) + '): try again';
      button.disabled = false;
    }
  };
}

function showHistoryWithheld() {
  const why = 'Shown to regulators only: past balances and entries would date and size other companies’ events.';
  $('acct-chart').innerHTML = `<p class="empty" data-testid="history-withheld">${esc(why)}</p>`;
  $('entries-sub').textContent = why;
  $('acct-entries').innerHTML = '';
  $('acct-entries-more-row').hidden = true;
  document.querySelector('table.entries').hidden = true;
}

function forecastText(f) {
  switch (f.status) {
    case 'projected':
      return fmtDate(f.projectedExhaustionAt);
    case 'exhausted':
      return 'cap reached';
    case 'uncapped':
      return 'no cap';
    case 'not-increasing':
      return 'not increasing';
    case 'beyond-horizon':
      return 'not in sight';
    case 'withheld':
      return 'regulators only';
    default:
      return '—';
  }
}
