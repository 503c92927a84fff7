import type { AlertKind, AlertSeverity } from '@app/contracts';
import { decodeCursor } from '../common/cursor';
import { alertPageCursor } from '../common/cursor-schemas';
import { parseSeq } from '../common/sequence';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, QueryReader } from '../common/query-reader';

export const ALERT_KINDS: readonly AlertKind[] = ['THRESHOLD_CROSSED', 'CAP_EXCEEDED', 'PROHIBITED_DESTINATION', 'UNAUTHORIZED'];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

export interface AlertFilter {
  kinds: AlertKind[] | null;
  severities: AlertSeverity[] | null;
  account: string | null;
  // The alert's time is the causing event's occurredAt.
  from: Date | null;
  to: Date | null;
}

export class AlertListQuery {
  private constructor(
    readonly filter: AlertFilter,
    readonly limit: number,
    readonly beforeSeq: bigint | null,
  ) {}

  static parse(raw: Record<string, unknown>): AlertListQuery {
    const r = new QueryReader(raw);
    const filter = readAlertFilter(r);
    const limit = r.integer('limit', 1, LIST_LIMIT_MAX) ?? LIST_LIMIT_DEFAULT;
    const cursor = r.string('cursor', { lengthMax: 200 });
    r.done();
    const beforeSeq = cursor === undefined ? null : decodeCursor(cursor, alertPageCursor);
    return new AlertListQuery(filter, limit, beforeSeq);
  }
}

export function readAlertFilter(r: QueryReader): AlertFilter {
  const kinds = r.listOf('kind', ALERT_KINDS);
  const severities = r.listOf('severity', ALERT_SEVERITIES);
  const account = r.string('account', { pattern: /^[a-z0-9-]{1,32}(:[A-Za-z0-9._-]{1,128}){1,3}$/, hint: 'must be an account id' });
  const from = r.instant('from');
  const to = r.instant('to');
  if (from && to && from.getTime() > to.getTime()) r.problem('from', 'must not be after to');
  return { kinds: kinds ?? null, severities: severities ?? null, account: account ?? null, from: from ?? null, to: to ?? null };
}

// The SSE stream takes the same filters plus the resume point, and the key (EventSource cannot set headers).
export class AlertStreamQuery {
  private constructor(
    readonly filter: AlertFilter,
    readonly sinceSeq: bigint | null,
  ) {}

  static parse(raw: Record<string, unknown>, lastEventId: string | undefined): AlertStreamQuery {
    const r = new QueryReader(raw);
    const filter = readAlertFilter(r);
    let since = r.seq('since');
    if (lastEventId !== undefined) {
      const seq = parseSeq(lastEventId);
      if (seq !== null) since = seq;
      else r.problem('Last-Event-ID', 'must be an alert seq sent by this stream');
    }
    r.done(['key']);
    return new AlertStreamQuery(filter, since ?? null);
  }
}
