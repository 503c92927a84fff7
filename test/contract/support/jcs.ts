// RFC 8785 (JSON Canonicalization Scheme), written from the RFC for the contract suite so that the suite checks
// the product's signatures against an independent canonical form (it deliberately does not import the product's
// own canonical-json). Objects: members sorted by the UTF-16 code units of their names (section 3.2.3), no
// whitespace. Numbers: the ECMAScript Number serialization (section 3.2.2.3), which JSON.stringify applies to
// finite numbers. Strings: JSON.stringify escapes exactly what section 3.2.2.2 asks (\b \t \n \f \r \" \\ and the
// other controls as lower-case \u00xx; everything else literal).
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('JCS: NaN and Infinity have no JSON form');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Default sort compares UTF-16 code units, which is what section 3.2.3 prescribes.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
  }
  throw new Error(`JCS: ${typeof value} has no JSON form`);
}
