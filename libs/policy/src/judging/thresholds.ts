import { hash } from 'node:crypto';
import type { AlertKind, AlertSeverity, ComplianceAlertV1, InputEventV1 } from '@app/contracts';
import type { PolicyPack, Threshold } from '../policy-pack';
import { exceedsFast, floorOf, ratioAtLeastFast, ratioBelowFast, toFloat, utilizationOf, type Rational } from '../rational';

// The alerts an event raises: their ids and severities, and the threshold and cap rules that raise them.

export function alertId(account: string, kind: AlertKind, threshold: number | null, publisher: string, eventId: string): string {
  const key = `${account}\u0000${kind}\u0000${threshold === null ? '' : String(threshold)}\u0000${publisher}\u0000${eventId}`;
  return hash('sha256', key, 'hex').slice(0, 32);
}

function severityOf(kind: AlertKind, threshold: Threshold | null): AlertSeverity {
  if (kind !== 'THRESHOLD_CROSSED') return 'critical';
  const t = threshold!.value;
  // info below 0.75, warning for [0.75, 1), critical at 1.0 and above.
  if (t.num * 4n < 3n * t.den) return 'info';
  if (t.num < t.den) return 'warning';
  return 'critical';
}

// Where the alerts of one event go, and what they are dated and attributed by.
export interface AlertContext {
  pack: PolicyPack;
  event: InputEventV1;
  out: ComplianceAlertV1[];
}

export function raise(
  ctx: AlertContext,
  kind: AlertKind,
  account: string,
  usedTpp: bigint,
  cap: Rational | null,
  threshold: Threshold | null,
  reason: string,
): void {
  const label = threshold === null ? null : threshold.label;
  ctx.out.push({
    type: 'compliance.alert',
    version: 1,
    alertId: alertId(account, kind, label, ctx.event.publisher, ctx.event.eventId),
    kind,
    severity: severityOf(kind, threshold),
    account,
    threshold: label,
    usedTpp,
    capTpp: cap === null ? null : floorOf(cap),
    utilization: cap === null || cap.num === 0n ? null : utilizationOf(usedTpp, cap),
    causedBy: { publisher: ctx.event.publisher, eventId: ctx.event.eventId },
    policy: { id: ctx.pack.id, version: ctx.pack.version },
    at: ctx.event.occurredAt,
    reason,
  });
}

// Edge-triggered thresholds with hysteresis, then CAP_EXCEEDED, exactly as CONTRACTS.md lists the steps.
// Uncapped and cap-0 accounts raise nothing here. Returns the disarmed mask after the event.
export function evaluateThresholds(
  ctx: AlertContext,
  account: string,
  usedBefore: bigint,
  usedAfter: bigint,
  cap: Rational | null,
  disarmedMask: number,
  // toFloat(cap), when the caller has it (a UVEU's country accounts share one cap).
  capFloat: number = cap === null ? 0 : toFloat(cap),
): number {
  if (cap === null || cap.num === 0n) return disarmedMask;
  let mask = disarmedMask;
  const before = Number(usedBefore) / capFloat;
  const after = Number(usedAfter) / capFloat;
  for (const t of ctx.pack.thresholds) {
    const bit = 1 << t.index;
    let armed = (mask & bit) === 0;
    if (!armed && ratioBelowFast(before, t.armBelowFloat, usedBefore, cap, t.armBelow)) armed = true;
    if (armed && ratioAtLeastFast(after, t.valueFloat, usedAfter, cap, t.value)) {
      raise(ctx, 'THRESHOLD_CROSSED', account, usedAfter, cap, t, `${account} reached ${t.label * 100}% of its cap`);
      armed = false;
    }
    if (!armed && ratioBelowFast(after, t.armBelowFloat, usedAfter, cap, t.armBelow)) armed = true;
    mask = armed ? mask & ~bit : mask | bit;
  }
  if (exceedsFast(after, usedAfter, cap) && !exceedsFast(before, usedBefore, cap)) {
    raise(ctx, 'CAP_EXCEEDED', account, usedAfter, cap, null, `${account} exceeded its cap`);
  }
  return mask;
}
