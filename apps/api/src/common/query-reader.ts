import { ApiError, FieldProblem } from './api-error';
import { parseInstant } from './instant';
import { parseSeq, PG_BIGINT_MAX } from './sequence';

// Reads untrusted query-string (or body) fields into typed values, collecting every problem so that one 400
// names all bad fields at once. Unknown fields are rejected too: a misspelt filter silently ignored would
// return the wrong rows with a 200.
export class QueryReader {
  private readonly problems: FieldProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly raw: Record<string, unknown>) {}

  private take(field: string): string | undefined {
    this.seen.add(field);
    const value = this.raw[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problems.push({ field, message: 'must be given once, as a single value' });
      return undefined;
    }
    return value;
  }

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  string(field: string, opts: { pattern?: RegExp; lengthMax?: number; hint?: string } = {}): string | undefined {
    const value = this.take(field);
    if (value === undefined) return undefined;
    const lengthMax = opts.lengthMax ?? 200;
    if (value.length === 0 || value.length > lengthMax) {
      this.problem(field, `must be 1..${lengthMax} characters`);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.problem(field, opts.hint ?? `must match ${opts.pattern.source}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    const value = this.take(field);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(field, `must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  // A comma-separated list of allowed values ("kind=country,lpp").
  listOf<T extends string>(field: string, allowed: readonly T[]): T[] | undefined {
    const value = this.take(field);
    if (value === undefined) return undefined;
    const items = value.split(',').map((s) => s.trim());
    const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
    if (items.length === 0 || bad.length > 0) {
      this.problem(field, `must be a comma-separated list of ${allowed.join(', ')}`);
      return undefined;
    }
    return [...new Set(items)] as T[];
  }

  integer(field: string, min: number, max: number): number | undefined {
    const value = this.take(field);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problem(field, `must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return Number(value);
  }

  // Ledger sequence numbers are bigints in Postgres; they stay bigints here.
  seq(field: string): bigint | undefined {
    const value = this.take(field);
    if (value === undefined) return undefined;
    const seq = parseSeq(value);
    if (seq === null) {
      this.problem(field, `must be an integer from 0 to ${PG_BIGINT_MAX} (a ledger sequence number)`);
      return undefined;
    }
    return seq;
  }

  number(field: string, min: number, max: number): number | undefined {
    const value = this.take(field);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      this.problem(field, `must be a number from ${min} to ${max}`);
      return undefined;
    }
    return n;
  }

  instant(field: string): Date | undefined {
    const value = this.take(field);
    if (value === undefined) return undefined;
    // RFC 3339 with an explicit zone, like occurredAt on the wire: a zoneless time would be read in the server's
    // zone and silently shift every as-of answer; an impossible date must not roll over (common/instant.ts).
    const ms = parseInstant(value);
    if (ms === null) {
      this.problem(field, 'must be an RFC 3339 timestamp with a zone and a real date and time, e.g. 2026-03-14T09:30:00Z');
      return undefined;
    }
    return new Date(ms);
  }

  // Throws one 400 naming every problem (and every unknown field); call after reading all fields.
  done(ignored: readonly string[] = []): void {
    for (const field of Object.keys(this.raw)) {
      if (!this.seen.has(field) && !ignored.includes(field)) this.problem(field, 'is not a known parameter');
    }
    if (this.problems.length > 0) throw ApiError.invalid(this.problems);
  }
}

export const LIST_LIMIT_MAX = 500;
export const LIST_LIMIT_DEFAULT = 50;
