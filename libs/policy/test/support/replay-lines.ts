// A thin harness around the engine's Replayer: feeds lines (objects are written as JSON) in order, numbering them
// from 1 like the CLI does, and keeps every outcome so a test can look at movements as well as the document.
import type { ComplianceAlertV1 } from '@app/contracts';
import { loadPolicyPack, Replayer, type AccountView, type Outcome, type ReplayResult } from '@app/policy';
import { line, type Json } from './events';

export interface ReplayRun {
  replayer: Replayer;
  outcomes: Array<Outcome | null>;
  result: ReplayResult;
}

export function replayLines(lines: ReadonlyArray<Json | string>, packId?: string): ReplayRun {
  const replayer = new Replayer(loadPolicyPack(packId));
  const outcomes = lines.map((l, i) => replayer.push(line(l), i + 1));
  return { replayer, outcomes, result: replayer.result() };
}

// Continues an existing run (the Replayer keeps its state), e.g. to look at the outcome of one more event.
export function pushLine(run: ReplayRun, l: Json | string): Outcome | null {
  const outcome = run.replayer.push(line(l), run.outcomes.length + 1);
  run.outcomes.push(outcome);
  run.result = run.replayer.result();
  return outcome;
}

export function accountOf(result: ReplayResult, id: string): AccountView | undefined {
  return result.accounts.find((a) => a.account === id);
}

export function accountIdsOf(result: ReplayResult): string[] {
  return result.accounts.map((a) => a.account);
}

// Alerts written as short strings, e.g. "THRESHOLD_CROSSED country:AE 0.5", for order-sensitive comparisons.
export function alertKeys(alerts: readonly ComplianceAlertV1[]): string[] {
  return alerts.map((a) => (a.threshold === null ? `${a.kind} ${a.account}` : `${a.kind} ${a.account} ${a.threshold}`));
}

export type RecordedOutcome = Extract<Outcome, { status: 'recorded' }>;

export function recorded(outcome: Outcome | null | undefined): RecordedOutcome {
  if (outcome === null || outcome === undefined || outcome.status !== 'recorded') {
    throw new Error(`expected a recorded outcome, got ${outcome === null || outcome === undefined ? String(outcome) : JSON.stringify(outcome, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
  return outcome;
}

export function alertsOf(outcome: Outcome | null | undefined): ComplianceAlertV1[] {
  return recorded(outcome).alerts;
}

export function rejectionOf(outcome: Outcome | null | undefined): Extract<Outcome, { status: 'rejected' }> {
  if (outcome === null || outcome === undefined || outcome.status !== 'rejected') {
    throw new Error(`expected a rejection, got ${outcome === null || outcome === undefined ? String(outcome) : outcome.status}`);
  }
  return outcome;
}

// The movement of one account in one outcome (undefined when the event did not move it).
export function movementOf(outcome: Outcome | null | undefined, account: string) {
  return recorded(outcome).movements.find((m) => m.account === account);
}
