// NDJSON lines spelled differently from the canonical form (reversed member order, spaces, upper-case \u escapes for
// every non-ASCII character and for '/', numbers spelled by the caller), so that a signature check that hashes the
// line's bytes instead of the JCS form fails.
function escapeString(s: string): string {
  let out = '';
  for (const ch of JSON.stringify(s).slice(1, -1)) {
    const code = ch.codePointAt(0)!;
    if (ch === '/') out += '\\/';
    else if (code > 0x7e) {
      for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return `"${out}"`;
}

export function scrambled(value: unknown, spellNumber: (n: number) => string = String): string {
  if (typeof value === 'number') return spellNumber(value);
  if (typeof value === 'string') return escapeString(value);
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[ ${value.map((v) => scrambled(v, spellNumber)).join(' , ')} ]`;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return `{ ${entries.map(([k, v]) => `${escapeString(k)} : ${scrambled(v, spellNumber)}`).join(' , ')} }`;
}
