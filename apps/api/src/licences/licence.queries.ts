// The query strings of the licence routes, validated once (bad input is a 400 naming each field).
import { decodeCursor } from '../common/cursor';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, QueryReader } from '../common/query-reader';

// [licence id] of the last licence of the page (ids are entity ids: 1..128 characters).
const licenceListCursor = (parts: readonly unknown[]): string | null =>
  parts.length === 1 && typeof parts[0] === 'string' && parts[0].length >= 1 && parts[0].length <= 128 ? parts[0] : null;

// [seq] of the last entry of the page, a positive bigint as digits.
const shipmentPageCursor = (parts: readonly unknown[]): bigint | null =>
  parts.length === 1 && typeof parts[0] === 'string' && /^[1-9][0-9]{0,18}$/.test(parts[0]) && BigInt(parts[0]) <= 9_223_372_036_854_775_807n ? BigInt(parts[0]) : null;

export class LicenceListQuery {
  private constructor(
    readonly country: string | null,
    readonly exporter: string | null,
    readonly limit: number,
    readonly afterId: string | null,
  ) {}

  static parse(raw: Record<string, unknown>): LicenceListQuery {
    const r = new QueryReader(raw);
    const country = r.string('country', { pattern: /^[A-Z]{2}$/, hint: 'must be an ISO 3166-1 alpha-2 code' }) ?? null;
    const exporter = r.string('exporter', { pattern: /^[a-z0-9-]{1,64}$/, hint: 'must be a publisher id' }) ?? null;
    const limit = r.integer('limit', 1, LIST_LIMIT_MAX) ?? LIST_LIMIT_DEFAULT;
    const cursor = r.string('cursor', { lengthMax: 400 });
    r.done();
    const afterId = cursor === undefined ? null : decodeCursor(cursor, licenceListCursor);
    return new LicenceListQuery(country, exporter, limit, afterId);
  }
}

// Shipments drawn against one licence, newest first, one keyset page at a time.
export class LicenceShipmentsQuery {
  private constructor(
    readonly limit: number,
    readonly beforeSeq: bigint | null,
  ) {}

  static parse(raw: Record<string, unknown>): LicenceShipmentsQuery {
    const r = new QueryReader(raw);
    const limit = r.integer('limit', 1, LIST_LIMIT_MAX) ?? LIST_LIMIT_DEFAULT;
    const cursor = r.string('cursor', { lengthMax: 200 });
    r.done();
    const beforeSeq = cursor === undefined ? null : decodeCursor(cursor, shipmentPageCursor);
    return new LicenceShipmentsQuery(limit, beforeSeq);
  }

  static first(limit: number): LicenceShipmentsQuery {
    return new LicenceShipmentsQuery(limit, null);
  }
}
