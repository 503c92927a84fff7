// The overview: country allocations by utilization (regulators and chipmakers), VEU limits (regulators and cloud
// providers, who see their own VEU only) and the ledger head.
import { $, accountHref, api, BANDS, bandOf, countryName, esc, fmtInt, fmtPct, fmtTpp, state, svg, truncate } from './dashboard-core.js';

const COUNTRY_ROWS_MAX = 20;

export async function loadOverview() {
  const role = state.me.role;
  const tasks = [loadHead()];
  if (role !== 'cloud-provider') tasks.push(loadCountries());
  else {
    // A cloud provider sees its own VEU only: no country figures, and the feed takes the whole row.
    $('country-card').hidden = true;
    document.querySelectorAll('[data-country-kpi]').forEach((el) => (el.hidden = true));
    document.querySelector('.feed-card').classList.add('span-3');
  }
  if (role !== 'chipmaker') tasks.push(loadVeus());
  else $('veu-gauges').closest('.card').hidden = true;
  // reporting-delay.js (a classic script loaded before this module) draws the regulator's reporting-delay card.
  if (role === 'regulator') tasks.push(window.loadReportingDelay(api));
  await Promise.allSettled(tasks);
}

export async function loadHead() {
  try {
    const head = await api('proof/head');
    $('kpi-head').textContent = '#' + fmtInt(head.seq);
    $('kpi-head').title = 'hash ' + head.hash;
  } catch (e) {
    $('kpi-head').textContent = '—';
  }
}

export async function loadCountries() {
  const page = await api('accounts?kind=country&sort=utilization&order=desc&limit=500');
  const capped = page.items.filter((a) => a.capTpp !== null && a.capTpp > 0);
  const prohibited = page.items.filter((a) => a.capTpp === 0 && a.usedTpp > 0);
  $('kpi-countries').textContent = fmtInt(capped.length);
  $('kpi-hot').textContent = fmtInt(capped.filter((a) => a.utilization >= 0.9).length);
  $('kpi-over').textContent = fmtInt(capped.filter((a) => a.utilization > 1).length);
  drawCountryChart($('country-chart'), capped);
  $('prohibited-note').textContent = prohibited.length
    ? 'Prohibited destinations with recorded shipments (cap 0): ' +
      prohibited.map((a) => countryName(a.country) + ' (' + fmtTpp(a.usedTpp) + ' TPP)').join(', ')
    : '';
}

const CHART = { W: 900, rowH: 32, top: 28, labelW: 210, valueW: 175 };

function drawCountryChart(host, accounts) {
  host.textContent = '';
  if (accounts.length === 0) {
    host.innerHTML = '<p class="empty">No capped country has recorded shipments yet.</p>';
    return;
  }
  const rows = accounts.slice(0, COUNTRY_ROWS_MAX);
  const { W, rowH, top } = CHART;
  const x0 = CHART.labelW;
  const x1 = W - CHART.valueW;
  const maxU = Math.max(1.1, Math.min(2, Math.max(...rows.map((a) => a.utilization || 0)) * 1.05));
  const xOf = (u) => x0 + (Math.min(u, maxU) / maxU) * (x1 - x0);
  const H = top + rows.length * rowH + 8;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Country cap utilization' });
  for (const b of BANDS) {
    if (b.from >= maxU) continue;
    root.appendChild(svg('rect', { x: xOf(b.from), y: top - 6, width: xOf(Math.min(b.to, maxU)) - xOf(b.from), height: H - top, fill: b.fill }));
  }
  for (const t of [0.5, 0.75, 0.9, 1]) {
    root.appendChild(svg('line', { x1: xOf(t), x2: xOf(t), y1: top - 6, y2: H - 2, stroke: bandOf(t).color, 'stroke-dasharray': t === 1 ? '0' : '4 4', 'stroke-width': t === 1 ? 1.6 : 1, opacity: 0.7 }));
    root.appendChild(svg('text', { x: xOf(t), y: 14, 'text-anchor': 'middle', 'font-size': 12, fill: bandOf(t).color, 'font-weight': 600 }, (t * 100).toFixed(0) + '%'));
  }
  rows.forEach((a, i) => root.appendChild(countryRow(a, top + i * rowH, x0, x1, xOf)));
  host.appendChild(root);
  if (accounts.length > rows.length) {
    const more = document.createElement('p');
    more.className = 'foot';
    more.textContent = `Showing the ${rows.length} highest of ${accounts.length} capped countries.`;
    host.appendChild(more);
  }
}

function countryRow(a, y, x0, x1, xOf) {
  const g = svg('g', { class: 'row', 'data-testid': 'country-row-' + a.country, 'data-account': a.account });
  g.appendChild(svg('rect', { class: 'row-bg', x: 0, y, width: CHART.W, height: CHART.rowH, fill: 'transparent' }));
  g.appendChild(svg('text', { x: 8, y: y + 20, 'font-size': 13, 'font-weight': 700, fill: '#0f172a', class: 'mono' }, a.country));
  g.appendChild(svg('text', { x: 40, y: y + 20, 'font-size': 13, fill: '#475569' }, truncate(countryName(a.country), 22)));
  const u = a.utilization || 0;
  const band = bandOf(u);
  g.appendChild(svg('rect', { x: x0, y: y + 8, width: x1 - x0, height: 16, rx: 4, fill: '#eef2f7', opacity: 0.6 }));
  g.appendChild(svg('rect', { x: x0, y: y + 8, width: Math.max(2, xOf(u) - x0), height: 16, rx: 4, fill: band.color }));
  g.appendChild(svg('text', { x: x1 + 12, y: y + 20, 'font-size': 14, 'font-weight': 700, fill: band.color, 'data-testid': 'utilization' }, fmtPct(a.utilization)));
  g.appendChild(svg('text', { x: x1 + 70, y: y + 20, 'font-size': 12, fill: '#64748b' }, fmtTpp(a.usedTpp) + ' / ' + fmtTpp(a.capTpp)));
  g.appendChild(svg('title', {}, `${countryName(a.country)}: ${fmtInt(a.usedTpp)} of ${fmtInt(a.capTpp)} TPP (${fmtPct(a.utilization)})`));
  g.addEventListener('click', () => (window.location.hash = accountHref(a.account)));
  return g;
}

export async function loadVeus() {
  const host = $('veu-gauges');
  const page = await api('accounts?kind=uveu-outside-tier1,uveu-country,uveu-outside-us,nveu&sort=id&limit=500');
  host.textContent = '';
  const byVeu = new Map();
  for (const a of page.items) {
    if (!byVeu.has(a.veuId)) byVeu.set(a.veuId, []);
    byVeu.get(a.veuId).push(a);
  }
  if (byVeu.size === 0) {
    host.innerHTML = '<p class="empty">No VEU has deployed yet.</p>';
    return;
  }
  const order = { 'uveu-outside-tier1': 0, 'uveu-outside-us': 1, 'uveu-country': 2, nveu: 3 };
  for (const [veuId, accounts] of byVeu) {
    const group = document.createElement('div');
    group.className = 'veu-group';
    const isNveu = accounts.some((a) => a.kind === 'nveu');
    group.innerHTML = `<h3>${esc(veuId)} <small>${isNveu ? 'National VEU' : 'Universal VEU'}</small></h3><div class="veu-gauges"></div>`;
    accounts.sort((a, b) => order[a.kind] - order[b.kind] || (b.utilization || 0) - (a.utilization || 0));
    for (const a of accounts) group.querySelector('.veu-gauges').appendChild(gauge(a));
    host.appendChild(group);
  }
}

function gaugeLabel(a) {
  switch (a.kind) {
    case 'uveu-outside-tier1':
      return 'outside Tier 1 (25% limit)';
    case 'uveu-outside-us':
      return 'outside the US (50% limit)';
    case 'uveu-country':
      return 'in ' + countryName(a.country) + ' (7% limit)';
    default:
      return 'shipments vs phased cap';
  }
}

function gaugeArc(cx, cy, r) {
  return (f0, f1) => {
    const a0 = Math.PI * (1 - f0);
    const a1 = Math.PI * (1 - f1);
    const p0 = [cx + r * Math.cos(a0), cy - r * Math.sin(a0)];
    const p1 = [cx + r * Math.cos(a1), cy - r * Math.sin(a1)];
    return `M ${p0[0].toFixed(2)} ${p0[1].toFixed(2)} A ${r} ${r} 0 0 1 ${p1[0].toFixed(2)} ${p1[1].toFixed(2)}`;
  };
}

function gauge(a) {
  const el = document.createElement('div');
  el.className = 'gauge';
  el.setAttribute('data-testid', 'gauge-' + a.account);
  el.title = `${a.account}: ${fmtInt(a.usedTpp)} of ${fmtInt(a.capTpp)} TPP`;
  const u = a.utilization;
  const [cx, cy] = [75, 72];
  const arc = gaugeArc(cx, cy, 56);
  const root = svg('svg', { viewBox: '0 0 150 84' });
  // Threshold bands drawn faintly under the value arc.
  for (const b of BANDS.slice(0, 4)) root.appendChild(svg('path', { d: arc(b.from, b.to), stroke: b.fill.replace(/0\.\d+\)$/, '0.35)'), 'stroke-width': 12, fill: 'none' }));
  if (u !== null && u > 0) {
    root.appendChild(svg('path', { d: arc(0, Math.min(u, 1)), stroke: bandOf(u).color, 'stroke-width': 12, fill: 'none', 'stroke-linecap': u >= 1 ? 'butt' : 'round' }));
  }
  root.appendChild(svg('text', { x: cx, y: cy - 8, 'text-anchor': 'middle', 'font-size': 20, 'font-weight': 800, fill: u === null ? '#94a3b8' : bandOf(u).color }, u === null ? 'n/a' : fmtPct(u)));
  root.appendChild(svg('text', { x: cx, y: cy + 9, 'text-anchor': 'middle', 'font-size': 10, fill: '#64748b' }, fmtTpp(a.usedTpp) + ' / ' + fmtTpp(a.capTpp)));
  el.appendChild(root);
  const label = document.createElement('div');
  label.className = 'g-label';
  label.textContent = gaugeLabel(a);
  el.appendChild(label);
  el.addEventListener('click', () => (window.location.hash = accountHref(a.account)));
  return el;
}
