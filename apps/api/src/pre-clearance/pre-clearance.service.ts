import { Inject, Injectable } from '@nestjs/common';
import type { ComplianceAlertV1, RejectionCode } from '@app/contracts';
import { accountView, applyOutcome, decodeEvent, judge, type PolicyPack } from '@app/policy';
import { canPreclear, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { ReadDatabase } from '../database/read-database';
import { POLICY_PACK } from '../policy-pack.provider';
import { licenceClearance, type LicenceClearance } from '../licences/licence-clearance';
import { loadJudgeState } from './judge-state.loader';

export interface AccountImpact {
  account: string;
  deltaTpp: bigint;
  usedBeforeTpp: bigint;
  usedAfterTpp: bigint;
  capTpp: bigint | null;
  utilizationBefore: number | null;
  utilizationAfter: number | null;
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
  alerts: ComplianceAlertV1[];
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
  ) {}

  // The same decode -> requirements -> judge path the ledger writer runs, on state read in a READ ONLY
  // transaction: nothing is written, not even the idempotency record.
  async evaluate(principal: Principal, raw: Buffer): Promise<PreClearance> {
    const pack = this.pack;
    const policy = { id: pack.id, version: pack.version };
    const decoded = decodeEvent(pack, raw);
    const publisher = decoded.ok ? decoded.event.publisher : decoded.publisher;
    if (!canPreclear(principal, publisher) && !(publisher === null && !decoded.ok)) {
      throw ApiError.forbidden(`a ${principal.role} key may pre-clear only events published by ${principal.org}`);
    }
    if (!decoded.ok) {
      return {
        outcome: 'rejected',
        recorded: false,
        policy,
        event: { publisher: decoded.publisher, eventId: decoded.eventId, type: null },
        rejection: { code: decoded.code, message: decoded.message },
        accounts: [],
        alerts: [],
        asOfHeadSeq: await this.headSeq(),
      };
    }

    return this.db.snapshot(async (db) => {
      const [head] = await db.query<{ seq: string }>('SELECT seq FROM ledger_head WHERE id = 1');
      const asOfHeadSeq = BigInt(head?.seq ?? '0');
      const state = await loadJudgeState(db, pack, decoded.event);
      const outcome = judge(pack, state, decoded);
      const event = { publisher: decoded.event.publisher, eventId: decoded.event.eventId, type: decoded.event.type };
      if (outcome.status === 'rejected') {
        return { outcome: 'rejected', recorded: false, policy, event, rejection: { code: outcome.code, message: outcome.message }, accounts: [], alerts: [], asOfHeadSeq };
      }
      if (outcome.status === 'duplicate') {
        return { outcome: 'duplicate', recorded: false, policy, event, rejection: null, accounts: [], alerts: [], asOfHeadSeq };
      }
      const before = new Map(outcome.movements.map((m) => [m.account, accountView(pack, state, m.account, outcome.occurredAtMs)]));
      const licence = licenceClearance(principal, pack, state, outcome);
      // Applied to the in-memory copy only, to show utilization after the event exactly as the writer stores it.
      applyOutcome(state, outcome);
      const accounts = outcome.movements.map((m) => {
        const after = accountView(pack, state, m.account, outcome.occurredAtMs);
        return {
          account: m.account,
          deltaTpp: m.deltaTpp,
          usedBeforeTpp: m.usedBeforeTpp,
          usedAfterTpp: m.usedAfterTpp,
          capTpp: m.capTpp,
          utilizationBefore: before.get(m.account)?.utilization ?? null,
          utilizationAfter: after.utilization,
        };
      });
      const answer: PreClearance = { outcome: 'would-record', recorded: false, policy: outcome.policy, event, rejection: null, accounts, alerts: outcome.alerts, asOfHeadSeq };
      return licence === null ? answer : { ...answer, licence };
    });
  }

  private async headSeq(): Promise<bigint> {
    const [head] = await this.db.query<{ seq: string }>('SELECT seq FROM ledger_head WHERE id = 1');
    return BigInt(head?.seq ?? '0');
  }
}
