// The regulator's "Reporting delay" card: how late each publisher reports its events (GET /reporting-delays).
// dashboard.js calls window.loadReportingDelay(api) on the overview of a regulator key and passes its fetch helper.
'use strict';
(function () {
  function esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  // A delay in milliseconds, in the largest unit that keeps it readable.
  function fmtDelay(ms) {
    const abs = Math.abs(ms);
    const sign = ms < 0 ? '−' : '';
    if (abs < 60_000) return sign + Math.round(abs / 1000) + ' s';
    if (abs < 3_600_000) return sign + Math.round(abs / 60_000) + ' min';
    if (abs < 172_800_000) return sign + Math.round(abs / 3_600_000) + ' h';
    return sign + (abs / 86_400_000).toFixed(1) + ' d';
  }

  async function loadReportingDelay(api) {
    const card = document.getElementById('delay-card');
    const body = document.getElementById('delay-rows');
    card.hidden = false;
    try {
      const d = await api('reporting-delays');
      document.getElementById('delay-threshold').textContent = d.thresholdHours + ' h';
      body.innerHTML = d.publishers.length
        ? d.publishers
            .map(
              (p) =>
                `<tr><td>${esc(p.publisher)}</td><td class="num">${p.events.toLocaleString('en-US')}</td>` +
                `<td class="num">${fmtDelay(p.p50Ms)}</td><td class="num">${fmtDelay(p.p99Ms)}</td><td class="num">${fmtDelay(p.maxMs)}</td>` +
                `<td class="num${p.overThreshold > 0 ? ' late' : ''}">${p.overThreshold.toLocaleString('en-US')}</td></tr>`,
            )
            .join('')
        : '<tr><td colspan="6" class="empty">No events recorded yet.</td></tr>';
    } catch (e) {
      body.innerHTML = `<tr><td colspan="6" class="empty">${esc(e.message)}</td></tr>`;
    }
  }

  window.loadReportingDelay = loadReportingDelay;
})();
