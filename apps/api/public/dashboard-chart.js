// The balance-over-time chart of the account page: a step line of the balance by event time, the cap and
// threshold lines, and (where the account is growing) the projection at its trailing 30-day rate.
import { bandOf, fmtDate, fmtTpp, svg } from './dashboard-core.js';

const DAY = 86400000;
const W = 900;
const H = 340;
const M = { l: 70, r: 24, t: 18, b: 36 };

// The time and value ranges and their scales.
function frame(account, series) {
  const first = Date.parse(series.from);
  const latest = Date.parse(series.to);
  const projected = account.forecast.status === 'projected' ? Date.parse(account.forecast.projectedExhaustionAt) : null;
  let t1 = Math.max(latest, first + DAY);
  if (projected !== null) t1 = Math.max(t1, Math.min(projected, t1 + Math.max(t1 - first, 30 * DAY) * 1.5));
  // A little room before the first entry, where the balance was 0.
  const t0 = first - Math.max((t1 - first) * 0.04, DAY / 2);
  const maxBal = Math.max(...series.points.map((p) => p.balanceTpp), account.usedTpp);
  const yMax = Math.max(account.capTpp || 0, maxBal) * 1.12 || 1;
  return {
    t0,
    t1,
    latest,
    projected,
    yMax,
    x: (t) => M.l + ((t - t0) / (t1 - t0)) * (W - M.l - M.r),
    y: (v) => H - M.b - (v / yMax) * (H - M.t - M.b),
  };
}

function drawAxes(root, f) {
  for (let i = 0; i <= 4; i++) {
    const v = (f.yMax / 4) * i;
    root.appendChild(svg('line', { x1: M.l, x2: W - M.r, y1: f.y(v), y2: f.y(v), stroke: '#eef2f7' }));
    root.appendChild(svg('text', { x: M.l - 8, y: f.y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#64748b' }, fmtTpp(v)));
  }
  for (let i = 0; i <= 5; i++) {
    const t = f.t0 + ((f.t1 - f.t0) / 5) * i;
    const anchor = i === 0 ? 'start' : i === 5 ? 'end' : 'middle';
    root.appendChild(svg('text', { x: f.x(t), y: H - M.b + 18, 'text-anchor': anchor, 'font-size': 11, fill: '#64748b' }, fmtDate(new Date(t).toISOString())));
  }
}

function drawCap(root, f, cap) {
  for (const t of [0.5, 0.75, 0.9]) {
    root.appendChild(svg('line', { x1: M.l, x2: W - M.r, y1: f.y(cap * t), y2: f.y(cap * t), stroke: bandOf(t).color, 'stroke-dasharray': '3 5', opacity: 0.6 }));
    root.appendChild(svg('text', { x: M.l + 6, y: f.y(cap * t) - 4, 'font-size': 10, fill: bandOf(t).color }, (t * 100).toFixed(0) + '%'));
  }
  root.appendChild(svg('line', { x1: M.l, x2: W - M.r, y1: f.y(cap), y2: f.y(cap), stroke: '#dc2626', 'stroke-width': 1.8 }));
  root.appendChild(svg('text', { x: M.l + 6, y: f.y(cap) - 6, 'font-size': 11, 'font-weight': 700, fill: '#dc2626' }, 'cap ' + fmtTpp(cap) + ' TPP'));
}

// The balance as a step line with a soft area; returns the last point.
function drawBalance(root, f, account, series) {
  const pts = series.points.map((p) => [f.x(Date.parse(p.at)), f.y(p.balanceTpp)]);
  let d = `M ${f.x(f.t0)} ${f.y(0)} H ${pts[0][0]} V ${pts[0][1]}`;
  for (let i = 1; i < pts.length; i++) d += ` H ${pts[i][0]} V ${pts[i][1]}`;
  if (f.projected === null) d += ` H ${f.x(f.t1)}`;
  root.appendChild(svg('path', { d: d + ` V ${f.y(0)} H ${f.x(f.t0)} Z`, fill: 'rgba(37,99,235,0.10)' }));
  root.appendChild(svg('path', { d, fill: 'none', stroke: '#2563eb', 'stroke-width': 2.2 }));
  const last = pts[pts.length - 1];
  root.appendChild(svg('circle', { cx: last[0], cy: f.y(account.usedTpp), r: 4, fill: '#2563eb' }));
  return last;
}

function drawProjection(root, f, account, last) {
  const cap = account.capTpp;
  const px = f.x(Math.min(f.projected, f.t1));
  const py = f.projected <= f.t1 ? f.y(cap) : f.y(account.usedTpp + (cap - account.usedTpp) * ((f.t1 - f.latest) / (f.projected - f.latest)));
  root.appendChild(svg('line', { x1: last[0], y1: f.y(account.usedTpp), x2: px, y2: py, stroke: '#dc2626', 'stroke-width': 1.6, 'stroke-dasharray': '6 5' }));
  if (f.projected <= f.t1) {
    root.appendChild(svg('circle', { cx: px, cy: py, r: 5, fill: '#fff', stroke: '#dc2626', 'stroke-width': 2 }));
    const label = 'cap reached ~ ' + fmtDate(account.forecast.projectedExhaustionAt);
    root.appendChild(svg('text', { x: px - 10, y: py - 10, 'text-anchor': 'end', 'font-size': 11, 'font-weight': 700, fill: '#dc2626' }, label));
  }
}

export function drawBalanceChart(host, account, series) {
  host.textContent = '';
  if (series.points.length === 0) {
    host.innerHTML = '<p class="empty">No entries yet.</p>';
    return;
  }
  const f = frame(account, series);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Balance over time' });
  drawAxes(root, f);
  if (account.capTpp) drawCap(root, f, account.capTpp);
  const last = drawBalance(root, f, account, series);
  if (f.projected !== null && account.capTpp) drawProjection(root, f, account, last);
  root.appendChild(svg('line', { x1: M.l, x2: W - M.r, y1: f.y(0), y2: f.y(0), stroke: '#cbd5e1' }));
  host.appendChild(root);
}
