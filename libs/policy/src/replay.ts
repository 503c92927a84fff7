// The offline replay: events applied in order with exactly the code the services run, no Kafka, no database.
// Fed line by line so that memory does not grow with the file (only the idempotency record does).
import type { ComplianceAlertV1, RejectionCode } from '@app/contracts';
import { decodeEvent } from './decode-event';
import { judge, type Outcome } from './judge';
import { accountView, type AccountView } from './judging/account-view';
import { applyOutcome } from './judging/apply-outcome';
import { MemoryLedgerState } from './memory-ledger-state';
import type { PolicyPack } from './policy-pack';
import { SIGNATURES_OPTIONAL, type Authenticity } from './signatures/authenticity';
import { policyLabel } from './timeline/policy-timeline';

export interface ReplayRejection {
  line: number;
  publisher: string | null;
  eventId: string | null;
  code: RejectionCode;
  message: string;
}

export interface ReplayResult {
  // The pack, or under a timeline the timeline (with its packs); each alert names the pack that judged it.
  policy: ReturnType<typeof policyLabel>;
  accounts: AccountView[];
  alerts: ComplianceAlertV1[];
  rejected: ReplayRejection[];
  counts: { read: number; recorded: number; duplicates: number; rejected: number };
}

export interface ReplayerOptions {
  // Reads again the line that push() was given with `ref`. With it, the idempotency record keeps that number per key
  // instead of a payload digest, and the digest is computed only if the key comes again: less memory and no hashing
  // for the many keys that are seen once.
  lineAt?: (ref: number) => string | Buffer;
  // How many events the caller expects (an estimate, say from the file's size): the idempotency record is sized
  // for them at the start instead of doubling as it fills. Only with lineAt.
  expectedEvents?: number;
  // Signature enforcement and the regulator's trust anchors (`--require-signatures`, `--trusted-keys FILE`); by
  // default signatures are optional offline.
  authenticity?: Authenticity;
}

export class Replayer {
  readonly state: MemoryLedgerState;
  private readonly alerts: ComplianceAlertV1[] = [];
  private readonly rejected: ReplayRejection[] = [];
  private readonly counts = { read: 0, recorded: 0, duplicates: 0, rejected: 0 };
  private latestOccurredAtMs = -Infinity;

  constructor(
    readonly pack: PolicyPack,
    private readonly options: ReplayerOptions = {},
  ) {
    const lineAt = options.lineAt;
    this.state = new MemoryLedgerState(
      lineAt === undefined
        ? undefined
        : (ref) => {
            const decoded = decodeEvent(pack, lineAt(ref));
            if (!decoded.ok) throw new Error(`invariant: the line at ${ref} was recorded but no longer decodes (${decoded.message})`);
            return decoded;
          },
      options.expectedEvents,
    );
  }

  // Blank lines are not events and are not counted. `ref` locates the line for options.lineAt.
  push(line: string | Buffer, lineNumber: number, ref?: number): Outcome | null {
    if (isBlank(line)) return null;
    this.counts.read++;
    const outcome = judge(this.pack, this.state, decodeEvent(this.pack, line), this.options.authenticity ?? SIGNATURES_OPTIONAL);
    switch (outcome.status) {
      case 'recorded':
        applyOutcome(this.state, outcome, this.options.lineAt === undefined ? undefined : ref);
        this.counts.recorded++;
        for (const alert of outcome.alerts) this.alerts.push(alert);
        if (outcome.occurredAtMs > this.latestOccurredAtMs) this.latestOccurredAtMs = outcome.occurredAtMs;
        break;
      case 'duplicate':
        this.counts.duplicates++;
        break;
      case 'rejected':
        this.counts.rejected++;
        this.rejected.push({ line: lineNumber, publisher: outcome.publisher, eventId: outcome.eventId, code: outcome.code, message: outcome.message });
        break;
    }
    return outcome;
  }

  result(): ReplayResult {
    // Caps are those in force at the latest occurredAt among recorded events, not the wall clock, so a replay
    // prints the same document on any day.
    const at = Number.isFinite(this.latestOccurredAtMs) ? this.latestOccurredAtMs : 0;
    const accounts = this.state
      .accountIds()
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((id) => accountView(this.pack, this.state, id, at));
    return {
      policy: policyLabel(this.pack),
      accounts,
      alerts: this.alerts,
      rejected: this.rejected,
      counts: { ...this.counts },
    };
  }
}

// String.prototype.trim() === '' for text; bytes are looked at as text only when they are not plain ASCII.
function isBlank(line: string | Buffer): boolean {
  if (typeof line === 'string') return line.length === 0 || (line.charCodeAt(0) <= 0x20 || line.charCodeAt(0) >= 0x7f ? line.trim() === '' : false);
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b >= 0x80) return line.toString('utf8').trim() === '';
    if (b !== 0x20 && (b < 0x09 || b > 0x0d)) return false;
  }
  return true;
}
