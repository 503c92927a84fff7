import { isAssignedCountry } from '@app/contracts';
import { parseDecimal, type Rational } from './rational';

const DAY_MS = 86_400_000;

// Reads the values of a policy pack document (or a chip catalogue), checking each as it goes: a value that does not
// hold adds a problem naming where it is and stands in as 0 or empty, so that one pass names every problem.
export class PackDocument {
  readonly problems: string[] = [];

  record(v: unknown, where: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.problems.push(`${where}: expected an object`);
      return {};
    }
    return v as Record<string, unknown>;
  }

  str(r: Record<string, unknown>, key: string): string {
    const v = r[key];
    if (typeof v !== 'string' || v === '') {
      this.problems.push(`${key}: expected a non-empty string`);
      return '';
    }
    return v;
  }

  // An object that carries its citation: every value of a pack does.
  cited(obj: unknown, where: string): Record<string, unknown> {
    const r = this.record(obj, where);
    if (typeof r['cite'] !== 'string' || r['cite'] === '') this.problems.push(`${where}.cite: every value needs a citation`);
    return r;
  }

  intValue(obj: unknown, where: string, nullable = false): bigint | null {
    const r = this.cited(obj, where);
    const v = r['value'];
    if (v === null && nullable) return null;
    if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) {
      this.problems.push(`${where}.value: expected a non-negative integer as a string${nullable ? ' or null' : ''}`);
      return 0n;
    }
    return BigInt(v);
  }

  decValue(obj: unknown, where: string): Rational {
    const r = this.cited(obj, where);
    try {
      const q = parseDecimal(String(r['value']));
      if (q.num < 0n) throw new RangeError('negative');
      return q;
    } catch {
      this.problems.push(`${where}.value: expected a non-negative decimal as a string`);
      return { num: 0n, den: 1n };
    }
  }

  countries(list: unknown, where: string): Set<string> {
    const out = new Set<string>();
    if (!Array.isArray(list)) {
      this.problems.push(`${where}: expected an array of country codes`);
      return out;
    }
    for (const c of list) {
      if (typeof c !== 'string' || !isAssignedCountry(c)) this.problems.push(`${where}: "${String(c)}" is not an assigned ISO 3166-1 code`);
      else out.add(c);
    }
    return out;
  }

  // A date YYYY-MM-DD, as the instant its day starts (UTC).
  dateMs(v: unknown, where: string): number {
    if (typeof v !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
      this.problems.push(`${where}: expected a date YYYY-MM-DD`);
      return 0;
    }
    return Date.parse(`${v}T00:00:00Z`);
  }

  // The instant the day after `v` starts: `until` dates name the last day in force (inclusive).
  dayAfterMs(v: unknown, where: string): number {
    return this.dateMs(v, where) + DAY_MS;
  }
}
