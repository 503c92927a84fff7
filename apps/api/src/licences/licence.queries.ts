// The query strings of the licence routes, validated once (bad input is a 400 naming each field).
import { decodeCursor } from '../common/cursor';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, QueryReader } from '../common/query-reader';

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
    let afterId: string | null = null;
    if (cursor !== undefined) {
      const [id] = decodeCursor(cursor, 1);
      if (typeof id !== 'string') {
        r.problem('cursor', 'is not a cursor returned by this endpoint');
        r.done();
      }
      afterId = id as string;
    }
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
    let beforeSeq: bigint | null = null;
    if (cursor !== undefined) {
      const [seq] = decodeCursor(cursor, 1);
      if (typeof seq !== 'string' || !/^\d{1,19}$/.test(seq)) {
        r.problem('cursor', 'is not a cursor returned by this endpoint');
        r.done();
      }
      beforeSeq = BigInt(seq as string);
    }
    return new LicenceShipmentsQuery(limit, beforeSeq);
  }

  static first(limit: number): LicenceShipmentsQuery {
    return new LicenceShipmentsQuery(limit, null);
  }
}
