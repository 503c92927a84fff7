// Exact fractions over bigint, for thresholds, hysteresis and ratio caps: a crossing must not depend on how a
// float rounds 0.07 x worldwide.
export interface Rational {
  num: bigint;
  den: bigint; // > 0
}

// Parses a plain decimal such as "0.05", "5.92", "1", "814.5" exactly.
export function parseDecimal(text: string): Rational {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (m === null) throw new RangeError(`not a plain decimal: "${text}"`);
  const fraction = m[3] ?? '';
  const den = 10n ** BigInt(fraction.length);
  const num = BigInt(m[2] + fraction) * (m[1] === '-' ? -1n : 1n);
  return { num, den };
}

// Exact value of a finite JS number written in decimal (e.g. a JSON dieAreaMm2 of 814.5).
export function fromNumber(value: number): Rational {
  if (!Number.isFinite(value)) throw new RangeError(`not finite: ${value}`);
  if (Number.isInteger(value)) return { num: BigInt(value), den: 1n };
  const text = String(value);
  if (/e/i.test(text)) {
    const [mantissa, exp] = text.split(/e/i);
    const base = parseDecimal(mantissa!);
    const e = Number(exp);
    return e >= 0 ? { num: base.num * 10n ** BigInt(e), den: base.den } : { num: base.num, den: base.den * 10n ** BigInt(-e) };
  }
  return parseDecimal(text);
}

export function mulInt(a: Rational, n: bigint): Rational {
  return { num: a.num * n, den: a.den };
}

// used / cap compared with t, all exact: used * cap.den * t.den  <op>  t.num * cap.num
export function ratioAtLeast(used: bigint, cap: Rational, t: Rational): boolean {
  return used * cap.den * t.den >= t.num * cap.num;
}

export function ratioBelow(used: bigint, cap: Rational, t: Rational): boolean {
  return used * cap.den * t.den < t.num * cap.num;
}

export function toFloat(r: Rational): number {
  return Number(r.num) / Number(r.den);
}

// The same comparisons, decided by floats when the two sides are far apart and exactly otherwise. `ratio` is
// Number(used) / toFloat(cap) and `tFloat` is toFloat(t): each is within a few units in the last place (about
// 1e-15 relative) of the exact value, so a float gap wider than 1e-9 relative cannot be a rounding artefact.
// Only a ratio within 1e-9 of a threshold pays for the bigint products.
const FLOAT_MARGIN = 1e-9;

export function ratioAtLeastFast(ratio: number, tFloat: number, used: bigint, cap: Rational, t: Rational): boolean {
  const margin = FLOAT_MARGIN * Math.max(Math.abs(ratio), Math.abs(tFloat));
  if (ratio - tFloat > margin) return true;
  if (tFloat - ratio > margin) return false;
  return ratioAtLeast(used, cap, t);
}

export function ratioBelowFast(ratio: number, tFloat: number, used: bigint, cap: Rational, t: Rational): boolean {
  return !ratioAtLeastFast(ratio, tFloat, used, cap, t);
}

// used > cap (CAP_EXCEEDED), with `ratio` = Number(used) / toFloat(cap): floats decide unless it is within the
// margin of 1.
export function exceedsFast(ratio: number, used: bigint, cap: Rational): boolean {
  if (ratio - 1 > FLOAT_MARGIN) return true;
  if (1 - ratio > FLOAT_MARGIN) return false;
  return used * cap.den > cap.num;
}

export function floorOf(r: Rational): bigint {
  // bigint division truncates toward zero; amounts here are never negative.
  return r.num / r.den;
}

// used / cap as a float for display; exact comparisons use ratioAtLeast/ratioBelow.
export function utilizationOf(used: bigint, cap: Rational): number {
  return Number(used * cap.den) / Number(cap.num);
}
