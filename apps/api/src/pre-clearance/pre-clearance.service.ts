import { Inject, Injectable } from '@nestjs/common';
import type { ComplianceAlertV1, RejectionCode } from '@app/contracts';
import type { InputEventV1 } from '@app/contracts';
import { accountView, applyOutcome, decodeEvent, judge, type Authenticity, type DecodedEvent, type MemoryLedgerState, type PolicyPack, type VeuGrant } from '@app/policy';
import { mayPreclear, ownsEvent, type ProspectiveEvent } from '../auth/access-policy';
import { alertFor, impactFor, type AlertShown } from '../auth/access-views';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { ReadDatabase } from '../database/read-database';
import { licenceClearance, type LicenceClearance } from '../licences/licence-clearance';
import { AUTHENTICITY, POLICY_PACK } from '../policy-pack.provider';
import { loadJudgeState } from './judge-state.loader';

// Amounts are null (and named in `withheld`) on accounts the caller may not read.
export interface AccountImpact {
  account: string;
  deltaTpp: bigint;
  usedBeforeTpp: bigint | null;
  usedAfterTpp: bigint | null;
  capTpp: bigint | null;
  utilizationBefore: number | null;
  utilizationAfter: number | null;
  withheld?: string[];
}

export interface PreClearance {
  // 'would-record': the ledger would record it now with these effects; 'duplicate': this exact event is already
  // recorded (sending it again changes nothing); 'rejected': the ledger would refuse it with `rejection.code`.
  outcome: 'would-record' | 'duplicate' | 'rejected';
  recorded: false;
  policy: { id: string; version: string };
  event: { publisher: string | null; eventId: string | null; type: string | null };
  rejection: { code: RejectionCode; message: string } | null;
  accounts: AccountImpact[];
  alerts: AlertShown<ComplianceAlertV1>[];
  // For a LICENSE shipment: whether the licence holds and its remaining TPP after the shipment (absent otherwise).
  licence?: LicenceClearance;
  // The ledger head the answer was computed against: a later event may change it.
  asOfHeadSeq: bigint;
}

@Injectable()
export class PreClearanceService {
  constructor(
    private readonly db: ReadDatabase,
    @Inject(POLICY_PACK) private readonly pack: PolicyPack,
    @Inject(AUTHENTICITY) private readonly authenticity: Authenticity,
  ) {}

  // The same decode -> requirements -> judge path the ledger writer runs, on state read in a READ ONLY
  // transaction: nothing is written, not even the idempotency record. Only events the caller could publish itself
  // are judged, and the answer shows amounts only of accounts the caller may read (auth/access-policy.ts).
  async evaluate(principal: Principal, raw: Buffer): Promise<PreClearance> {
    const pack = this.pack;
    const decoded = decodeEvent(pack, raw);
    if (!decoded.ok) {
      // Judged from the bytes alone (shape, chip ids, country codes): nothing about the ledger is revealed, but an
      // event that names another publisher is still not the caller's to ask about.
      if (decoded.publisher !== null && !ownsEvent(principal, decoded.publisher)) throw notPublishable(principal);
      return {
        outcome: 'rejected',
        recorded: false,
        policy: { id: pack.id, version: pack.version },
        event: { publisher: decoded.publisher, eventId: decoded.eventId, type: null },
        rejection: { code: decoded.code, message: decoded.message },
        accounts: [],
        alerts: [],
        asOfHeadSeq: await this.headSeq(),
      };
    }
    const prospective = prospectiveOf(decoded.event);
    // Decided on the event alone first, so that a refusal costs no database work; a reporter's right is read from
    // the grant in force, inside the snapshot.
    if (!mayPreclear(principal, prospective, () => (principal.org === null ? [] : [principal.org]))) throw notPublishable(principal);
    return this.db.snapshot(async (db) => {
      const [head] = await db.query<{ seq: string }>('SELECT seq FROM ledger_head WHERE id = 1');
      const state = await loadJudgeState(db, pack, decoded.event);
      if (!mayPreclear(principal, prospective, (veuId) => reportersOf(state, veuId))) throw notPublishable(principal);
      return judgeForCaller(principal, pack, state, decoded, BigInt(head?.seq ?? '0'), this.authenticity);
    });
  }

  private async headSeq(): Promise<bigint> {
    const [head] = await this.db.query<{ seq: string }>('SELECT seq FROM ledger_head WHERE id = 1');
    return BigInt(head?.seq ?? '0');
  }
}

function notPublishable(p: Principal): ApiError {
  const what =
    p.role === 'chipmaker'
      ? `chip.shipment events published as "${p.org}"`
      : `dc.deployment events published as "${p.org}", for its own VEU or a VEU whose grant names it a reporter`;
  return ApiError.forbidden(`a ${p.role} key may pre-clear only events it could publish itself: ${what}`);
}

function prospectiveOf(event: InputEventV1): ProspectiveEvent {
  return { type: event.type, publisher: event.publisher, veuId: event.type === 'dc.deployment' ? event.veu.id : null };
}

// The publishers a VEU's grant in force lets report deployments for it (besides the VEU itself), where the
// policy version in use records them.
function reportersOf(state: MemoryLedgerState, veuId: string): readonly string[] {
  const grant = state.veu(veuId) as (VeuGrant & { reporters?: readonly string[] }) | undefined;
  return grant?.active ? (grant.reporters ?? []) : [];
}

// `authenticity`: the signature rules the ledger judges with (SIGNATURES, TRUSTED_KEYS_FILE).
function judgeForCaller(principal: Principal, pack: PolicyPack, state: MemoryLedgerState, decoded: DecodedEvent, asOfHeadSeq: bigint, authenticity: Authenticity): PreClearance {
  const outcome = judge(pack, state, decoded, authenticity);
  const event = { publisher: decoded.event.publisher, eventId: decoded.event.eventId, type: decoded.event.type };
  const base = { recorded: false as const, event, accounts: [], alerts: [], asOfHeadSeq };
  if (outcome.status === 'rejected') {
    return { ...base, outcome: 'rejected', policy: { id: pack.id, version: pack.version }, rejection: { code: outcome.code, message: outcome.message } };
  }
  if (outcome.status === 'duplicate') return { ...base, outcome: 'duplicate', policy: { id: pack.id, version: pack.version }, rejection: null };
  const before = new Map(outcome.movements.map((m) => [m.account, accountView(pack, state, m.account, outcome.occurredAtMs)]));
  const licence = licenceClearance(principal, pack, state, outcome);
  // Applied to the in-memory copy only, to show utilization after the event exactly as the writer stores it.
  applyOutcome(state, outcome);
  const accounts = outcome.movements.map((m) =>
    impactFor(principal, {
      account: m.account,
      deltaTpp: m.deltaTpp,
      usedBeforeTpp: m.usedBeforeTpp,
      usedAfterTpp: m.usedAfterTpp,
      capTpp: m.capTpp,
      utilizationBefore: before.get(m.account)?.utilization ?? null,
      utilizationAfter: accountView(pack, state, m.account, outcome.occurredAtMs).utilization,
    }),
  );
  const alerts = outcome.alerts.map((a) => alertFor(principal, a));
  const answer: PreClearance = { ...base, outcome: 'would-record', policy: outcome.policy, rejection: null, accounts, alerts };
  return licence === null ? answer : { ...answer, licence };
}
