// The dashboard: plain JavaScript over the read API, no build step and nothing fetched from outside this server.
// Charts are SVG drawn here. The API key comes from ?key= (then removed from the address bar) or the sign-in form,
// and lives in sessionStorage for the tab only.
(function () {
  'use strict';

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const KEY_STORAGE = 'ledger.apiKey';
  const BANDS = [
    { from: 0, to: 0.5, color: '#16a34a', fill: 'rgba(22,163,74,0.05)' },
    { from: 0.5, to: 0.75, color: '#ca8a04', fill: 'rgba(202,138,4,0.08)' },
    { from: 0.75, to: 0.9, color: '#ea580c', fill: 'rgba(234,88,12,0.09)' },
    { from: 0.9, to: 1, color: '#dc2626', fill: 'rgba(220,38,38,0.10)' },
    { from: 1, to: Infinity, color: '#7f1d1d', fill: 'rgba(127,29,29,0.12)' },
  ];
  const COUNTRY_ROWS_MAX = 20;
  const FEED_ITEMS_MAX = 100;
  const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

  const $ = (id) => document.getElementById(id);
  const state = { key: null, me: null, stream: null, alertCount: 0, refreshTimer: null, route: null, lastAlertSeq: undefined };

  // ---- formatting -------------------------------------------------------------------------------------------
  function esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }
  function fmtTpp(n) {
    if (n === null || n === undefined) return '—';
    const a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 1 : 2) + 'B';
    if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e8 ? 0 : 1) + 'M';
    if (a >= 1e3) return (n / 1e3).toFixed(1) + 'K';
    return String(n);
  }
  function fmtInt(n) {
    return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
  }
  function fmtPct(u) {
    if (u === null || u === undefined) return '—';
    const p = u * 100;
    return (p >= 100 || p === 0 ? p.toFixed(0) : p < 1 ? p.toFixed(2) : p.toFixed(1)) + '%';
  }
  function fmtThreshold(t) {
    return String(Math.round(t * 1000) / 10) + '%';
  }
  function fmtDate(iso) {
    if (!iso) return '—';
    return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  }
  function fmtDateTime(iso) {
    return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';
  }
  function bandOf(u) {
    return BANDS.find((b) => u < b.to) || BANDS[BANDS.length - 1];
  }
  function countryName(cc) {
    try {
      return (regionNames && regionNames.of(cc)) || cc;
    } catch (e) {
      return cc;
    }
  }
  function svg(tag, attrs, text) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  }
  function toast(message) {
    const t = $('toast');
    t.textContent = message;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => (t.hidden = true), 4000);
  }

  // ---- API access -------------------------------------------------------------------------------------------
  class ApiFailure extends Error {
    constructor(status, body) {
      super((body && body.error && body.error.message) || 'HTTP ' + status);
      this.status = status;
      this.code = body && body.error && body.error.code;
    }
  }
  async function api(path) {
    const res = await fetch(path, { headers: { 'x-api-key': state.key, accept: 'application/json' } });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (res.status === 401) {
      signOut('That key is not valid (or was revoked).');
      throw new ApiFailure(401, body);
    }
    if (!res.ok) throw new ApiFailure(res.status, body);
    return body;
  }

  // ---- sign-in ----------------------------------------------------------------------------------------------
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
    $('policy-pill').textContent = 'policy ' + state.me.policy.id + ' v' + state.me.policy.version;
    $('policy-pill').title = state.me.policy.title + ' — signed in as ' + state.me.role + (state.me.org ? ' (' + state.me.org + ')' : '');
    // The feed starts with the latest alerts, and the stream resumes right after the newest of them, so nothing
    // raised in between is missed.
    await loadFeedHistory().catch((e) => toast('Cannot load alerts: ' + e.message));
    openStream();
    route();
  }

  // ---- routing ----------------------------------------------------------------------------------------------
  function route() {
    if (!state.key) return;
    const hash = decodeURIComponent(window.location.hash || '#/');
    const m = /^#\/account\/(.+)$/.exec(hash);
    const lic = /^#\/licences(?:\/(.+))?$/.exec(hash);
    document.querySelectorAll('.topnav a[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === (lic ? 'licences' : m ? '' : 'overview')));
    $('view-overview').hidden = !!m || !!lic;
    $('view-account').hidden = !m;
    $('view-licences').hidden = !lic;
    state.route = lic ? { view: 'licences', id: lic[1] || null } : m ? { view: 'account', id: m[1] } : { view: 'overview' };
    if (lic) window.LicenceViews.show(state.route.id, api);
    else if (m) loadAccount(m[1]);
    else loadOverview();
  }
  function accountHref(id) {
    return '#/account/' + encodeURIComponent(id);
  }

  // ---- overview ---------------------------------------------------------------------------------------------
  async function loadOverview() {
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
    if (role === 'regulator') tasks.push(window.loadReportingDelay(api));
    await Promise.allSettled(tasks);
  }

  async function loadHead() {
    try {
      const head = await api('proof/head');
      $('kpi-head').textContent = '#' + fmtInt(head.seq);
      $('kpi-head').title = 'hash ' + head.hash;
    } catch (e) {
      $('kpi-head').textContent = '—';
    }
  }

  async function loadCountries() {
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

  function drawCountryChart(host, accounts) {
    host.textContent = '';
    if (accounts.length === 0) {
      host.innerHTML = '<p class="empty">No capped country has recorded shipments yet.</p>';
      return;
    }
    const rows = accounts.slice(0, COUNTRY_ROWS_MAX);
    const W = 900;
    const rowH = 32;
    const top = 28;
    const labelW = 210;
    const valueW = 175;
    const x0 = labelW;
    const x1 = W - valueW;
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
    rows.forEach((a, i) => {
      const y = top + i * rowH;
      const g = svg('g', { class: 'row', 'data-testid': 'country-row-' + a.country, 'data-account': a.account });
      g.appendChild(svg('rect', { class: 'row-bg', x: 0, y, width: W, height: rowH, fill: 'transparent' }));
      g.appendChild(svg('text', { x: 8, y: y + 20, 'font-size': 13, 'font-weight': 700, fill: '#0f172a', class: 'mono' }, a.country));
      g.appendChild(svg('text', { x: 40, y: y + 20, 'font-size': 13, fill: '#475569' }, truncate(countryName(a.country), 22)));
      const u = a.utilization || 0;
      const band = bandOf(u);
      g.appendChild(svg('rect', { x: x0, y: y + 8, width: x1 - x0, height: 16, rx: 4, fill: '#eef2f7', opacity: 0.6 }));
      g.appendChild(svg('rect', { x: x0, y: y + 8, width: Math.max(2, xOf(u) - x0), height: 16, rx: 4, fill: band.color }));
      g.appendChild(svg('text', { x: x1 + 12, y: y + 20, 'font-size': 14, 'font-weight': 700, fill: band.color, 'data-testid': 'utilization' }, fmtPct(a.utilization)));
      g.appendChild(svg('text', { x: x1 + 70, y: y + 20, 'font-size': 12, fill: '#64748b' }, fmtTpp(a.usedTpp) + ' / ' + fmtTpp(a.capTpp)));
      const title = svg('title', {}, `${countryName(a.country)}: ${fmtInt(a.usedTpp)} of ${fmtInt(a.capTpp)} TPP (${fmtPct(a.utilization)})`);
      g.appendChild(title);
      g.addEventListener('click', () => (window.location.hash = accountHref(a.account)));
      root.appendChild(g);
    });
    host.appendChild(root);
    if (accounts.length > rows.length) {
      const more = document.createElement('p');
      more.className = 'foot';
      more.textContent = `Showing the ${rows.length} highest of ${accounts.length} capped countries.`;
      host.appendChild(more);
    }
  }
  function truncate(text, n) {
    return text.length > n ? text.slice(0, n - 1) + '…' : text;
  }

  async function loadVeus() {
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
    for (const [veuId, accounts] of byVeu) {
      const group = document.createElement('div');
      group.className = 'veu-group';
      const isNveu = accounts.some((a) => a.kind === 'nveu');
      group.innerHTML = `<h3>${esc(veuId)} <small>${isNveu ? 'National VEU' : 'Universal VEU'}</small></h3><div class="veu-gauges"></div>`;
      const order = { 'uveu-outside-tier1': 0, 'uveu-outside-us': 1, 'uveu-country': 2, nveu: 3 };
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

  function gauge(a) {
    const el = document.createElement('div');
    el.className = 'gauge';
    el.setAttribute('data-testid', 'gauge-' + a.account);
    el.title = `${a.account}: ${fmtInt(a.usedTpp)} of ${fmtInt(a.capTpp)} TPP`;
    const u = a.utilization;
    const W = 150;
    const cx = 75;
    const cy = 72;
    const r = 56;
    const root = svg('svg', { viewBox: `0 0 ${W} 84` });
    const arc = (f0, f1) => {
      const a0 = Math.PI * (1 - f0);
      const a1 = Math.PI * (1 - f1);
      const p0 = [cx + r * Math.cos(a0), cy - r * Math.sin(a0)];
      const p1 = [cx + r * Math.cos(a1), cy - r * Math.sin(a1)];
      return `M ${p0[0].toFixed(2)} ${p0[1].toFixed(2)} A ${r} ${r} 0 0 1 ${p1[0].toFixed(2)} ${p1[1].toFixed(2)}`;
    };
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

  // ---- live alert feed ----------------------------------------------------------------------------------------
  async function loadFeedHistory() {
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
    const util = a.utilization === null ? '' : ' · ' + fmtPct(a.utilization) + ' used';
    li.innerHTML =
      `<div class="feed-top"><span class="kind">${esc(alertTitle(a))}</span><span class="sev">${esc(a.severity)}</span></div>` +
      `<a class="acct" href="${esc(accountHref(a.account))}">${esc(a.account)}</a>` +
      `<div class="meta">${esc(fmtDateTime(a.at))}${esc(util)} · by ${esc(a.causedBy.publisher)}/${esc(a.causedBy.eventId)}</div>`;
    feed.insertBefore(li, feed.firstChild);
    while (feed.children.length > FEED_ITEMS_MAX) feed.removeChild(feed.lastChild);
    state.alertCount = feed.children.length;
    $('alert-count').textContent = String(state.alertCount);
    $('feed-empty').hidden = state.alertCount > 0;
  }

  function setLive(mode) {
    const el = $('live-status');
    el.dataset.state = mode;
    el.querySelector('span').textContent = mode === 'on' ? 'live' : mode === 'retry' ? 'reconnecting' : 'offline';
  }

  function openStream() {
    if (state.stream) state.stream.close();
    // EventSource cannot send headers, so the stream takes the key as ?key=; it reconnects by itself and resumes
    // after the last alert id it saw.
    const since = state.lastAlertSeq !== undefined ? '&since=' + encodeURIComponent(state.lastAlertSeq) : '';
    const stream = new EventSource('alerts/stream?key=' + encodeURIComponent(state.key) + since);
    state.stream = stream;
    stream.addEventListener('ready', () => setLive('on'));
    stream.addEventListener('alert', (ev) => {
      const alert = JSON.parse(ev.data);
      addAlert(alert, true);
      scheduleRefresh();
    });
    stream.onerror = () => setLive(stream.readyState === EventSource.CLOSED ? 'off' : 'retry');
  }

  // New alerts mean balances moved: refresh the visible view, at most once a second.
  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(() => {
      if (!state.route) return;
      if (state.route.view === 'overview') {
        loadHead();
        if (state.me.role !== 'cloud-provider') loadCountries().catch(() => undefined);
        if (state.me.role !== 'chipmaker') loadVeus().catch(() => undefined);
      } else if (state.route.view === 'licences') {
        window.LicenceViews.show(state.route.id, api, true);
      } else {
        loadAccount(state.route.id, true);
      }
    }, 1000);
  }

  // ---- account page -------------------------------------------------------------------------------------------
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

  async function loadAccount(id, quiet) {
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
    $('acct-kind').textContent = KIND_LABELS[a.kind] || a.kind;
    $('acct-title').textContent = a.account;
    const parts = [];
    if (a.country) parts.push(countryName(a.country) + (a.tier ? ' · Tier ' + a.tier : ''));
    if (a.veuId) parts.push('VEU ' + a.veuId);
    if (a.lastOccurredAt) parts.push('latest event ' + fmtDate(a.lastOccurredAt));
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

    const list = $('acct-thresholds');
    list.innerHTML = '';
    for (const t of a.thresholds) {
      const li = document.createElement('li');
      const chip = t.crossed ? '<span class="chip crossed">crossed</span>' : t.timesCrossed > 0 ? '<span class="chip rearmed">re-armed</span>' : '<span class="chip">armed</span>';
      li.innerHTML = `<span><strong>${esc(fmtThreshold(t.threshold))}</strong> <span class="sub">${t.lastCrossedAt ? 'last crossed ' + esc(fmtDate(t.lastCrossedAt)) : 'not reached'}</span></span>${chip}`;
      list.appendChild(li);
    }
    if (a.capExceeded) {
      const li = document.createElement('li');
      li.innerHTML = '<span><strong>Cap</strong> <span class="sub">usage is above the cap in force</span></span><span class="chip crossed">exceeded</span>';
      list.appendChild(li);
    }

    const series = await api('accounts/' + encodeURIComponent(id) + '/balance-series?points=240');
    drawBalanceChart($('acct-chart'), a, series);
    try {
      const entries = await api('accounts/' + encodeURIComponent(id) + '/entries?limit=25');
      document.querySelector('table.entries').hidden = false;
      $('entries-sub').textContent = 'Newest first; each entry is hash-chained to the one before it.';
      $('acct-entries').innerHTML = entries.items
        .map(
          (e) =>
            `<tr><td class="mono">${esc(e.seq)}</td><td>${esc(fmtDateTime(e.occurredAt))}</td>` +
            `<td class="mono">${esc(e.event.publisher)}/${esc(e.event.eventId)}</td>` +
            `<td class="num ${e.deltaTpp >= 0 ? 'pos' : 'neg'}">${e.deltaTpp >= 0 ? '+' : ''}${esc(fmtInt(e.deltaTpp))}</td>` +
            `<td class="num">${esc(fmtInt(e.balanceTpp))}</td><td class="num">${esc(e.capTpp === null ? '—' : fmtInt(e.capTpp))}</td></tr>`,
        )
        .join('');
    } catch (e) {
      $('entries-sub').textContent = e.status === 403 ? 'Entries name the events behind them and are visible to regulators only.' : e.message;
      $('acct-entries').innerHTML = '';
      document.querySelector('table.entries').hidden = true;
      return;
    }
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
      default:
        return '—';
    }
  }

  function drawBalanceChart(host, account, series) {
    host.textContent = '';
    if (series.points.length === 0) {
      host.innerHTML = '<p class="empty">No entries yet.</p>';
      return;
    }
    const W = 900;
    const H = 340;
    const m = { l: 70, r: 24, t: 18, b: 36 };
    const DAY = 86400000;
    const first = Date.parse(series.from);
    const latest = Date.parse(series.to);
    const projected = account.forecast.status === 'projected' ? Date.parse(account.forecast.projectedExhaustionAt) : null;
    let t1 = Math.max(latest, first + DAY);
    if (projected !== null) t1 = Math.max(t1, Math.min(projected, t1 + Math.max(t1 - first, 30 * DAY) * 1.5));
    // A little room before the first entry, where the balance was 0.
    const t0 = first - Math.max((t1 - first) * 0.04, DAY / 2);
    const cap = account.capTpp;
    const maxBal = Math.max(...series.points.map((p) => p.balanceTpp), account.usedTpp);
    const yMax = Math.max(cap || 0, maxBal) * 1.12 || 1;
    const x = (t) => m.l + ((t - t0) / (t1 - t0)) * (W - m.l - m.r);
    const y = (v) => H - m.b - (v / yMax) * (H - m.t - m.b);
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Balance over time' });

    // grid and axes
    for (let i = 0; i <= 4; i++) {
      const v = (yMax / 4) * i;
      root.appendChild(svg('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), stroke: '#eef2f7' }));
      root.appendChild(svg('text', { x: m.l - 8, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#64748b' }, fmtTpp(v)));
    }
    for (let i = 0; i <= 5; i++) {
      const t = t0 + ((t1 - t0) / 5) * i;
      const anchor = i === 0 ? 'start' : i === 5 ? 'end' : 'middle';
      root.appendChild(svg('text', { x: x(t), y: H - m.b + 18, 'text-anchor': anchor, 'font-size': 11, fill: '#64748b' }, fmtDate(new Date(t).toISOString())));
    }
    // threshold bands and cap
    if (cap) {
      for (const t of [0.5, 0.75, 0.9]) {
        root.appendChild(svg('line', { x1: m.l, x2: W - m.r, y1: y(cap * t), y2: y(cap * t), stroke: bandOf(t).color, 'stroke-dasharray': '3 5', opacity: 0.6 }));
        root.appendChild(svg('text', { x: m.l + 6, y: y(cap * t) - 4, 'font-size': 10, fill: bandOf(t).color }, (t * 100).toFixed(0) + '%'));
      }
      root.appendChild(svg('line', { x1: m.l, x2: W - m.r, y1: y(cap), y2: y(cap), stroke: '#dc2626', 'stroke-width': 1.8 }));
      root.appendChild(svg('text', { x: m.l + 6, y: y(cap) - 6, 'font-size': 11, 'font-weight': 700, fill: '#dc2626' }, 'cap ' + fmtTpp(cap) + ' TPP'));
    }
    // balance as a step line with a soft area
    const pts = series.points.map((p) => [x(Date.parse(p.at)), y(p.balanceTpp)]);
    let d = `M ${x(t0)} ${y(0)} H ${pts[0][0]} V ${pts[0][1]}`;
    for (let i = 1; i < pts.length; i++) d += ` H ${pts[i][0]} V ${pts[i][1]}`;
    if (projected === null) d += ` H ${x(t1)}`;
    const area = d + ` V ${y(0)} H ${x(t0)} Z`;
    root.appendChild(svg('path', { d: area, fill: 'rgba(37,99,235,0.10)' }));
    root.appendChild(svg('path', { d, fill: 'none', stroke: '#2563eb', 'stroke-width': 2.2 }));
    const last = pts[pts.length - 1];
    root.appendChild(svg('circle', { cx: last[0], cy: y(account.usedTpp), r: 4, fill: '#2563eb' }));
    // projection at the trailing 30-day rate
    if (projected !== null && cap) {
      const px = x(Math.min(projected, t1));
      const py = projected <= t1 ? y(cap) : y(account.usedTpp + (cap - account.usedTpp) * ((t1 - Date.parse(series.to)) / (projected - Date.parse(series.to))));
      root.appendChild(svg('line', { x1: last[0], y1: y(account.usedTpp), x2: px, y2: py, stroke: '#dc2626', 'stroke-width': 1.6, 'stroke-dasharray': '6 5' }));
      if (projected <= t1) {
        root.appendChild(svg('circle', { cx: px, cy: py, r: 5, fill: '#fff', stroke: '#dc2626', 'stroke-width': 2 }));
        root.appendChild(svg('text', { x: px - 10, y: py - 10, 'text-anchor': 'end', 'font-size': 11, 'font-weight': 700, fill: '#dc2626' }, 'cap reached ~ ' + fmtDate(account.forecast.projectedExhaustionAt)));
      }
    }
    root.appendChild(svg('line', { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0), stroke: '#cbd5e1' }));
    host.appendChild(root);
  }

  // ---- start ----------------------------------------------------------------------------------------------------
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
})();
