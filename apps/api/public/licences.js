// The dashboard's licence pages (#/licences and #/licences/ID), over GET /licences, /licences/countries and
// /licences/:id. dashboard.js routes here and passes its authenticated `api` function. Plain functions, no build.
'use strict';

window.LicenceViews = {
  esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  },
  tpp(n) {
    return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
  },
  pct(u) {
    return u === null || u === undefined ? '—' : (u * 100).toFixed(u * 100 >= 10 ? 0 : 1) + '%';
  },
  date(iso) {
    return iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '—';
  },
  statusBadge(status, overShipped) {
    const label = overShipped && status === 'in-force' ? 'over-shipped' : status;
    return '<span class="lic-status lic-' + this.esc(label) + '">' + this.esc(label) + '</span>';
  },

  // Whether "Show more" added rows past the first page: a quiet refresh would redraw the first page only, so it
  // leaves such a page as it is.
  expanded: false,

  // Shows the list (id null) or one licence; `quiet` refreshes without clearing what is shown.
  async show(id, api, quiet) {
    if (quiet && this.expanded) return;
    this.expanded = false;
    const host = document.getElementById('licences-body');
    if (!quiet) host.innerHTML = '<p class="empty">Loading…</p>';
    try {
      host.innerHTML = id === null ? await this.listHtml(api) : await this.detailHtml(api, id);
      this.wireMore(host, api);
    } catch (e) {
      host.innerHTML = '<p class="empty">' + this.esc(e.status === 403 ? 'Licences are shown to regulators and to the chipmakers they were issued to.' : e.message) + '</p>';
    }
  },

  async listHtml(api) {
    const [countries, page] = await Promise.all([api('licences/countries'), api('licences?limit=200')]);
    const countryRows = countries.items
      .map(
        (c) =>
          '<tr><td class="mono">' + this.esc(c.country) + '</td><td>Tier ' + c.tier + '</td><td class="num">' + c.licencesInForce + ' / ' + c.licences +
          '</td><td class="num">' + this.tpp(c.approvedTpp) + '</td><td class="num">' + this.tpp(c.shippedUnderLicencesTpp) + '</td><td class="num">' +
          this.tpp(c.countryShippedTpp) + '</td><td class="num">' + this.tpp(c.capTpp) + '</td><td class="num">' + this.pct(c.approvedUtilization) + '</td></tr>',
      )
      .join('');
    const licenceRows = page.items.map((l) => this.licenceRow(l)).join('');
    return (
      '<article class="card"><header class="card-head"><div><h2>Approved vs shipped vs cap, by country</h2>' +
      '<p class="sub">Approved: what licences approved, less what revocations gave back (country:CC:licensed). Shipped under licences: what they drew. Shipped in all: country:CC.</p></div></header>' +
      '<div class="table-wrap"><table class="entries" data-testid="licence-countries"><thead><tr><th>Country</th><th>Tier</th><th class="num">Licences in force</th>' +
      '<th class="num">Approved</th><th class="num">Shipped under licences</th><th class="num">Shipped in all</th><th class="num">Cap</th><th class="num">Approved / cap</th></tr></thead><tbody>' +
      (countryRows || '<tr><td colspan="8">No licences issued.</td></tr>') +
      '</tbody></table></div></article>' +
      '<article class="card"><header class="card-head"><div><h2>Licences</h2><p class="sub">Approved TPP, what shipments drew, what remains.</p></div></header>' +
      '<div class="table-wrap"><table class="entries" data-testid="licence-list"><thead><tr><th>Licence</th><th>Exporter</th><th>Consignee</th><th>Status</th>' +
      '<th class="num">Approved</th><th class="num">Shipped</th><th class="num">Remaining</th><th class="num">Used</th><th>Valid to</th></tr></thead><tbody>' +
      (licenceRows || '<tr><td colspan="9">No licences.</td></tr>') +
      '</tbody></table></div>' + this.moreButton('licence-list', 'licences?limit=200', page.nextCursor, 'Show more licences') + '</article>'
    );
  },

  async detailHtml(api, id) {
    const l = await api('licences/' + encodeURIComponent(id));
    const f = l.forecast;
    const exhaustion = f.status === 'projected' ? this.date(f.projectedExhaustionAt) + (l.expiresBeforeExhaustion ? ' (after it expires)' : '') : f.status;
    const kpi = (label, value, testid) => '<div class="kpi"><span class="kpi-label">' + label + '</span><span class="kpi-value mono"' + (testid ? ' data-testid="' + testid + '"' : '') + '>' + value + '</span></div>';
    const shipments = l.shipments.items.map((x) => this.shipmentRow(x)).join('');
    return (
      '<a class="back" href="#/licences">← Licences</a><div class="account-head"><div><p class="eyebrow">Licence ' + this.statusBadge(l.status, l.overShipped) + '</p>' +
      '<h1 class="mono">' + this.esc(l.id) + '</h1><p class="sub">' + this.esc(l.exporter) + ' to ' + this.esc(l.consignee.id) + ' in ' + this.esc(l.consignee.country) +
      ', valid ' + this.date(l.validFrom) + ' – ' + this.date(l.validTo) + (l.revokedAt ? ', revoked ' + this.date(l.revokedAt) : '') + '</p></div></div>' +
      '<div class="kpis">' + kpi('Approved', this.tpp(l.approvedTpp)) + kpi('Shipped', this.tpp(l.shippedTpp), 'licence-shipped') + kpi('Remaining', this.tpp(l.remainingTpp), 'licence-remaining') +
      kpi('Projected exhaustion', this.esc(exhaustion), 'licence-exhaustion') + '</div>' +
      '<article class="card"><header class="card-head"><div><h2>Shipments drawn against it</h2><p class="sub">Newest first.</p></div></header>' +
      '<div class="table-wrap"><table class="entries" data-testid="licence-shipments"><thead><tr><th>Seq</th><th>Event time</th><th>Event</th><th class="num">Drawn (TPP)</th><th class="num">Shipped after</th></tr></thead><tbody>' +
      (shipments || '<tr><td colspan="5">No shipments yet.</td></tr>') +
      '</tbody></table></div>' +
      this.moreButton('licence-shipments', 'licences/' + encodeURIComponent(l.id) + '/shipments?limit=100', l.shipments.nextCursor, 'Show older shipments') +
      '</article>'
    );
  },

  licenceRow(l) {
    return (
      '<tr><td><a class="mono" href="#/licences/' + encodeURIComponent(l.id) + '">' + this.esc(l.id) + '</a></td><td>' + this.esc(l.exporter) +
      '</td><td>' + this.esc(l.consignee.id) + ' (' + this.esc(l.consignee.country) + ')</td><td>' + this.statusBadge(l.status, l.overShipped) +
      '</td><td class="num">' + this.tpp(l.approvedTpp) + '</td><td class="num">' + this.tpp(l.shippedTpp) + '</td><td class="num">' +
      this.tpp(l.remainingTpp) + '</td><td class="num">' + this.pct(l.utilization) + '</td><td>' + this.date(l.validTo) + '</td></tr>'
    );
  },

  shipmentRow(s) {
    return (
      '<tr><td class="mono">' + this.esc(String(s.seq)) + '</td><td>' + this.date(s.occurredAt) + '</td><td class="mono">' + this.esc(s.publisher + '/' + s.eventId) +
      '</td><td class="num">' + this.tpp(s.deltaTpp) + '</td><td class="num">' + this.tpp(s.shippedAfterTpp) + '</td></tr>'
    );
  },

  // A button that fetches the table's next page (keyset cursor) and appends its rows; gone once there is no next page.
  moreButton(table, path, cursor, label) {
    if (!cursor) return '';
    return (
      '<p class="more-row"><button type="button" class="verify-button more" data-testid="' + table + '-more" data-table="' + table +
      '" data-path="' + this.esc(path) + '" data-cursor="' + this.esc(cursor) + '">' + this.esc(label) + '</button></p>'
    );
  },

  wireMore(host, api) {
    host.querySelectorAll('button.more').forEach((button) => {
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          const page = await api(button.dataset.path + '&cursor=' + encodeURIComponent(button.dataset.cursor));
          const row = button.dataset.table === 'licence-shipments' ? (x) => this.shipmentRow(x) : (x) => this.licenceRow(x);
          host.querySelector('[data-testid="' + button.dataset.table + '"] tbody').insertAdjacentHTML('beforeend', page.items.map(row).join(''));
          this.expanded = true;
          if (page.nextCursor) {
            button.dataset.cursor = page.nextCursor;
            button.disabled = false;
          } else button.parentElement.remove();
        } catch (e) {
          button.textContent = 'Could not load more (' + (e.message || e.status) + '): try again';
          button.disabled = false;
        }
      });
    });
  },
};
