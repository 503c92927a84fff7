// JSON writing that keeps integers exact. JSON.stringify cannot write a bigint, and converting one to a number
// would round amounts above 2^53; here bigints are written digit for digit as JSON integers.
// `canonicalJson` additionally sorts object keys, so equal documents always give equal text (digests, hashes).

function write(value: unknown, sortKeys: boolean, out: string[]): void {
  switch (typeof value) {
    case 'bigint':
      out.push(value.toString());
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot write a non-finite number as JSON: ${value}`);
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      out.push('null');
      return;
    case 'object': {
      if (value === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          write(value[i], sortKeys, out);
        }
        out.push(']');
        return;
      }
      const record = value as Record<string, unknown>;
      let keys = Object.keys(record).filter((k) => record[k] !== undefined);
      if (sortKeys) keys = keys.sort();
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(k), ':');
        write(record[k], sortKeys, out);
      });
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
}

export function stringifyJson(value: unknown): string {
  const out: string[] = [];
  write(value, false, out);
  return out.join('');
}

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, true, out);
  return out.join('');
}
