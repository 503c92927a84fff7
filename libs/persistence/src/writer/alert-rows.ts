import type { QueryRunner } from 'typeorm';
import { stringifyJson, type ComplianceAlertV1 } from '@app/contracts';

// Postgres raises NOTIFY on this channel when a batch added alerts; the relay listens.
export const ALERTS_CHANNEL = 'ledger_alerts';

// Adds the batch's alerts to the outbox, in the order they were raised.
export async function writeAlerts(qr: QueryRunner, alerts: ComplianceAlertV1[]): Promise<void> {
  if (alerts.length === 0) return;
  // ORDER BY ord: the outbox seq (bigserial) must follow the order in which the alerts were raised.
  await qr.query(
    `INSERT INTO alerts (alert_id, account_id, kind, severity, threshold, payload, occurred_at)
     SELECT u.alert_id, u.account_id, u.kind, u.severity, u.threshold, u.payload::jsonb, u.occurred_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::timestamptz[])
         WITH ORDINALITY AS u(alert_id, account_id, kind, severity, threshold, payload, occurred_at, ord)
      ORDER BY u.ord`,
    [
      alerts.map((a) => a.alertId),
      alerts.map((a) => a.account),
      alerts.map((a) => a.kind),
      alerts.map((a) => a.severity),
      alerts.map((a) => a.threshold),
      alerts.map((a) => stringifyJson(a)),
      alerts.map((a) => a.at),
    ],
  );
  // Delivered at COMMIT, and only if the batch commits.
  await qr.query(`SELECT pg_notify($1, $2)`, [ALERTS_CHANNEL, String(alerts.length)]);
}
