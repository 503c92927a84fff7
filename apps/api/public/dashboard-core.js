// Shared by the dashboard's modules: page state, formatting, SVG helpers and the API client. Plain JavaScript, no
// build step, nothing fetched from outside this server.
export const SVG_NS = 'http://www.w3.org/2000/svg';
export const KEY_STORAGE = 'ledger.apiKey';
export const BANDS = [
  { from: 0, to: 0.5, color: '#16a34a', fill: 'rgba(22,163,74,0.05)' },
  { from: 0.5, to: 0.75, color: '#ca8a04', fill: 'rgba(202,138,4,0.08)' },
  { from: 0.75, to: 0.9, color: '#ea580c', fill: 'rgba(234,88,12,0.09)' },
  { from: 0.9, to: 1, color: '#dc2626', fill: 'rgba(220,38,38,0.10)' },
  { from: 1, to: Infinity, color: '#7f1d1d', fill: 'rgba(127,29,29,0.12)' },
];
const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

export const $ = (id) => document.getElementById(id);
// refresh() and signOut() are installed by dashboard.js, which owns routing and sign-in.
export const state = { key: null, me: null, stream: null, alertCount: 0, refreshTimer: null, route: null, lastAlertSeq: undefined, refresh: () => undefined, signOut: () => undefined };

// ---- formatting -------------------------------------------------------------------------------------------
export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
export function fmtTpp(n) {
  if (n === null || n === undefined) return '—';
  const a = Math.abs(n);
  if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 1 : 2) + 'B';
  if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e8 ? 0 : 1) + 'M';
  if (a >= 1e3) return (n / 1e3).toFixed(1) + 'K';
  return String(n);
}
export function fmtInt(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}
export function fmtPct(u) {
  if (u === null || u === undefined) return '—';
  const p = u * 100;
  return (p >= 100 || p === 0 ? p.toFixed(0) : p < 1 ? p.toFixed(2) : p.toFixed(1)) + '%';
}
export function fmtThreshold(t) {
  return String(Math.round(t * 1000) / 10) + '%';
}
export function fmtDate(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
export function fmtDateTime(iso) {
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';
}
export function bandOf(u) {
  return BANDS.find((b) => u < b.to) || BANDS[BANDS.length - 1];
}
export function countryName(cc) {
  try {
    return (regionNames && regionNames.of(cc)) || cc;
  } catch (e) {
    return cc;
  }
}
export function truncate(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}
export function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}
export function toast(message) {
  const t = $('toast');
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), 4000);
}
export function accountHref(id) {
  return '#/account/' + encodeURIComponent(id);
}

// ---- API access -------------------------------------------------------------------------------------------
export class ApiFailure extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || 'HTTP ' + status);
    this.status = status;
    this.code = body && body.error && body.error.code;
  }
}

export async function api(path) {
  const res = await fetch(path, { headers: { 'x-api-key': state.key, accept: 'application/json' } });
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (res.status === 401) {
    state.signOut('That key is not valid (or was revoked).');
    throw new ApiFailure(401, body);
  }
  if (!res.ok) throw new ApiFailure(res.status, body);
  return body;
}
