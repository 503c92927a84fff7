// Ledger sequence numbers are PostgreSQL bigints: decimal digits only, at most 2^63 - 1. Anything else is refused
// before it reaches SQL (a larger number would make the cast fail with a 500).
export const PG_BIGINT_MAX = 9_223_372_036_854_775_807n;

export function parseSeq(text: string, opts: { min?: bigint } = {}): bigint | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const value = BigInt(text);
  if (value < (opts.min ?? 0n) || value > PG_BIGINT_MAX) return null;
  return value;
}
