// JSON writing that keeps integers exact. JSON.stringify cannot write a bigint, and converting one to a number
// would round amounts above 2^53; here bigints are written digit for digit as JSON integers.
// `canonicalJson` additionally sorts object keys, so equal documents always give equal text (digests, hashes).
// For a document read by JSON.parse (no bigints) it is the RFC 8785 (JCS) canonical form, which signatures are
// made over: JCS writes strings and numbers exactly as ECMAScript's JSON.stringify does (shortest round-trip
// numbers, `1e+30`, `-0` as `0`; the same escapes), and orders members by their names' UTF-16 code units, which
// is what Array.prototype.sort() compares. libs/contracts/test/canonical-json.spec.ts checks RFC 8785's examples.

// Recursion by string concatenation: V8 builds ropes cheaply, and this runs for every event (payload digests).
function write(value: unknown, sortKeys: boolean): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot write a non-finite number as JSON: ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) s += (i > 0 ? ',' : '') + write(value[i], sortKeys);
        return s + ']';
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (sortKeys && keys.length > 1) keys.sort();
      let s = '{';
      let first = true;
      for (const k of keys) {
        const v = record[k];
        if (v === undefined) continue;
        s += (first ? '' : ',') + JSON.stringify(k) + ':' + write(v, sortKeys);
        first = false;
      }
      return s + '}';
    }
    default:
      throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
}

export function stringifyJson(value: unknown): string {
  return write(value, false);
}

export function canonicalJson(value: unknown): string {
  return write(value, true);
}

// A canonical writer compiled from the v1 input schemas: each object position knows its property names, already
// sorted, so no key is listed or sorted per event. Valid only for schema-valid events (the schemas forbid
// unknown properties); anything else takes the generic path.
import { INPUT_SCHEMAS } from './schemas';

type Writer = (value: unknown) => string;
const NOTHING: ReadonlySet<string> = new Set();

// `omit`: property names left out at this level (the top level of an event, for its `signature`).
function compileWriter(schemas: readonly unknown[], omit: ReadonlySet<string> = NOTHING): Writer {
  const props = new Map<string, unknown[]>();
  const items: unknown[] = [];
  const visit = (schema: unknown): void => {
    if (typeof schema !== 'object' || schema === null) return;
    const s = schema as Record<string, unknown>;
    if (typeof s['properties'] === 'object' && s['properties'] !== null) {
      for (const [k, sub] of Object.entries(s['properties'] as Record<string, unknown>)) {
        const list = props.get(k) ?? [];
        list.push(sub);
        props.set(k, list);
      }
    }
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) if (Array.isArray(s[key])) for (const b of s[key] as unknown[]) visit(b);
    if (s['items'] !== undefined) items.push(s['items']);
  };
  for (const schema of schemas) visit(schema);
  if (props.size > 0) {
    const keys = [...props.keys()].filter((k) => !omit.has(k)).sort();
    const quoted = keys.map((k) => `${JSON.stringify(k)}:`);
    const subs = keys.map((k) => compileWriter(props.get(k)!));
    return (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return canonicalJson(value);
      const record = value as Record<string, unknown>;
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const v = record[keys[i]!];
        if (v === undefined) continue;
        out += (out.length > 1 ? ',' : '') + quoted[i] + subs[i]!(v);
      }
      return out + '}';
    };
  }
  if (items.length > 0) {
    const sub = compileWriter(items);
    return (value) => {
      if (!Array.isArray(value)) return canonicalJson(value);
      let out = '[';
      for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + sub(value[i]);
      return out + ']';
    };
  }
  return (value) => (typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : canonicalJson(value));
}

let eventWriter: Writer | undefined;
let unsignedWriter: Writer | undefined;

// Canonical JSON (sorted keys) of an event that passed schema validation; equal to canonicalJson(event).
export function canonicalEventJson(event: unknown): string {
  eventWriter ??= compileWriter(Object.values(INPUT_SCHEMAS));
  return eventWriter(event);
}

// The event's canonical form without its `signature` member: the bytes a publisher signs (as UTF-8), and what
// idempotency compares (the same event signed again is the same event). Equal to
// canonicalJson({...event, signature: undefined}) for a schema-valid event.
export function canonicalUnsignedEventJson(event: unknown): string {
  unsignedWriter ??= compileWriter(Object.values(INPUT_SCHEMAS), new Set(['signature']));
  return unsignedWriter(event);
}

// The same for any JSON document (a producer's event that has not been validated): its top-level `signature` left out.
export function canonicalUnsignedJson(document: Record<string, unknown>): string {
  const { signature: _, ...rest } = document;
  return canonicalJson(rest);
}
