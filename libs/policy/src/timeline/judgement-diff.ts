// What changes, and for whom, between two ways of judging the same events (two packs, two timelines, or one of each):
// both judge every line with the services' code (two Replayers side by side), and the differences are collected per
// event (alerts raised under one only, accounts moved by another amount or against another cap, a different
// rejection) and for the accounts at the end (balance or cap). Pure: the CLI reads the file and prints the result.
import type { ComplianceAlertV1 } from '@app/contracts';
import type { Outcome } from '../judge';
import type { PolicyPack } from '../policy-pack';
import { Replayer } from '../replay';
import { policyLabel } from './policy-timeline';

export interface SideMovement {
  deltaTpp: bigint;
  capTpp: bigint | null;
}

export interface EventDifference {
  line: number;
  publisher: string | null;
  eventId: string | null;
  // recorded, duplicate, or rejected CODE; under each side, with the pack that judged a recorded event.
  a: string;
  b: string;
  packA: { id: string; version: string } | null;
  packB: { id: string; version: string } | null;
  alertsOnlyA: string[];
  alertsOnlyB: string[];
  accounts: Array<{ account: string; a: SideMovement | null; b: SideMovement | null }>;
}

export interface AccountDifference {
  account: string;
  a: { usedTpp: bigint; capTpp: bigint | null } | null;
  b: { usedTpp: bigint; capTpp: bigint | null } | null;
}

export interface JudgementDiff {
  a: ReturnType<typeof policyLabel>;
  b: ReturnType<typeof policyLabel>;
  counts: { read: number; judgedDifferently: number; accountsDiffering: number };
  events: EventDifference[];
  // Differences beyond eventsMax are counted, not listed.
  eventsLeftOut: number;
  accounts: AccountDifference[];
}

export const DIFF_EVENTS_MAX = 10_000;

const alertKey = (a: ComplianceAlertV1): string => (a.threshold === null ? `${a.kind} ${a.account}` : `${a.kind} ${a.account} ${a.threshold}`);

function statusOf(o: Outcome): string {
  if (o.status === 'recorded') return 'recorded';
  if (o.status === 'duplicate') return 'duplicate';
  return `rejected ${o.code}`;
}

function movementsOf(o: Outcome): Map<string, SideMovement> {
  const out = new Map<string, SideMovement>();
  if (o.status !== 'recorded') return out;
  for (const m of o.movements) {
    const prev = out.get(m.account);
    out.set(m.account, { deltaTpp: (prev?.deltaTpp ?? 0n) + m.deltaTpp, capTpp: m.capTpp });
  }
  return out;
}

export class JudgementDiffer {
  private readonly left: Replayer;
  private readonly right: Replayer;
  private readonly events: EventDifference[] = [];
  private differing = 0;
  private read = 0;

  constructor(
    private readonly a: PolicyPack,
    private readonly b: PolicyPack,
    private readonly eventsMax = DIFF_EVENTS_MAX,
  ) {
    this.left = new Replayer(a);
    this.right = new Replayer(b);
  }

  push(line: string | Buffer, lineNumber: number): void {
    const oa = this.left.push(line, lineNumber);
    const ob = this.right.push(line, lineNumber);
    if (oa === null || ob === null) return;
    this.read++;
    const d = compareOutcomes(oa, ob, lineNumber);
    if (d === null) return;
    this.differing++;
    if (this.events.length < this.eventsMax) this.events.push(d);
  }

  result(): JudgementDiff {
    const ra = this.left.result();
    const rb = this.right.result();
    const byId = new Map<string, AccountDifference>();
    for (const v of ra.accounts) byId.set(v.account, { account: v.account, a: { usedTpp: v.usedTpp, capTpp: v.capTpp }, b: null });
    for (const v of rb.accounts) {
      const entry = byId.get(v.account) ?? { account: v.account, a: null, b: null };
      entry.b = { usedTpp: v.usedTpp, capTpp: v.capTpp };
      byId.set(v.account, entry);
    }
    const accounts = [...byId.values()]
      .filter((x) => x.a === null || x.b === null || x.a.usedTpp !== x.b.usedTpp || x.a.capTpp !== x.b.capTpp)
      .sort((x, y) => (x.account < y.account ? -1 : x.account > y.account ? 1 : 0));
    return {
      a: policyLabel(this.a),
      b: policyLabel(this.b),
      counts: { read: this.read, judgedDifferently: this.differing, accountsDiffering: accounts.length },
      events: this.events,
      eventsLeftOut: this.differing - this.events.length,
      accounts,
    };
  }
}

// The differences between two outcomes of one event; null when both sides judged it alike (the pack that judged it
// aside: the same judgement under two packs is no difference to whoever shipped).
export function compareOutcomes(oa: Outcome, ob: Outcome, line: number): EventDifference | null {
  const keysA = oa.status === 'recorded' ? oa.alerts.map(alertKey) : [];
  const keysB = ob.status === 'recorded' ? ob.alerts.map(alertKey) : [];
  const alertsOnlyA = keysA.filter((k) => !keysB.includes(k));
  const alertsOnlyB = keysB.filter((k) => !keysA.includes(k));
  const ma = movementsOf(oa);
  const mb = movementsOf(ob);
  const accounts: EventDifference['accounts'] = [];
  for (const id of new Set([...ma.keys(), ...mb.keys()])) {
    const x = ma.get(id) ?? null;
    const y = mb.get(id) ?? null;
    if (x === null || y === null || x.deltaTpp !== y.deltaTpp || x.capTpp !== y.capTpp) accounts.push({ account: id, a: x, b: y });
  }
  const sameStatus = oa.status === ob.status && (oa.status !== 'rejected' || (ob.status === 'rejected' && oa.code === ob.code));
  if (sameStatus && alertsOnlyA.length === 0 && alertsOnlyB.length === 0 && accounts.length === 0) return null;
  const key = oa.status === 'recorded' ? oa.event : oa.status === 'duplicate' ? oa : { publisher: oa.publisher, eventId: oa.eventId };
  const packOf = (o: Outcome) => (o.status === 'recorded' ? o.policy : null);
  return { line, publisher: key.publisher, eventId: key.eventId, a: statusOf(oa), b: statusOf(ob), packA: packOf(oa), packB: packOf(ob), alertsOnlyA, alertsOnlyB, accounts };
}
