import { Injectable } from '@nestjs/common';
import { alertFor, type AlertShown } from '../auth/access-views';
import type { Principal } from '../auth/principal';
import { encodeCursor } from '../common/cursor';
import { ReadDatabase } from '../database/read-database';
import type { AlertListQuery } from './alert-list.query';
import { alertFilterSql, alertScopeSql } from './alert-scope';
import { ALERT_COLUMNS, toAlertView, type AlertRow } from './alert.view';

export interface AlertPage {
  items: AlertShown[];
  limit: number;
  nextCursor: string | null;
}

@Injectable()
export class AlertsService {
  constructor(private readonly db: ReadDatabase) {}

  // Newest first, keyset-paginated by seq (the order the ledger raised them).
  async list(principal: Principal, q: AlertListQuery): Promise<AlertPage> {
    const params: unknown[] = [];
    const where = alertFilterSql(q.filter, params);
    const scope = alertScopeSql(principal, params);
    if (scope) where.push(scope);
    if (q.beforeSeq !== null) {
      params.push(q.beforeSeq.toString());
      where.push(`seq < $${params.length}`);
    }
    params.push(q.limit + 1);
    const rows = await this.db.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => alertFor(principal, toAlertView(row))),
      limit: q.limit,
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.seq]) : null,
    };
  }
}
