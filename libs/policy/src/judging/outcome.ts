import type { ComplianceAlertV1, InputEventV1, RejectionCode } from '@app/contracts';
import type { DecodedEvent } from '../decode-event';
import type { Movement, StateEffect } from '../ledger-state';
import type { PolicyPack } from '../policy-pack';

export type Outcome =
  | { status: 'rejected'; code: RejectionCode; message: string; publisher: string | null; eventId: string | null }
  | { status: 'duplicate'; publisher: string; eventId: string }
  | {
      status: 'recorded';
      event: InputEventV1;
      // The payload digest, computed on first call (see DecodedEvent.digest).
      digest(): string;
      occurredAtMs: number;
      movements: Movement[];
      alerts: ComplianceAlertV1[];
      effects: StateEffect[];
      policy: { id: string; version: string };
    };

export type RecordedOutcome = Extract<Outcome, { status: 'recorded' }>;

// What judging one event adds up to before it becomes an Outcome: the movements, alerts and effects so far.
export interface Draft {
  movements: Movement[];
  alerts: ComplianceAlertV1[];
  effects: StateEffect[];
}

// A recorded outcome is plain data apart from its digest, which it asks of the decoded event only when needed
// (held in a private field, so two outcomes of the same event still compare equal as data).
export class Recorded implements RecordedOutcome {
  readonly status = 'recorded' as const;
  readonly event: InputEventV1;
  readonly occurredAtMs: number;
  readonly movements: Movement[];
  readonly alerts: ComplianceAlertV1[];
  readonly effects: StateEffect[];
  readonly policy: { id: string; version: string };
  readonly #decoded: DecodedEvent;

  constructor(decoded: DecodedEvent, draft: Draft, pack: PolicyPack) {
    this.#decoded = decoded;
    this.event = decoded.event;
    this.occurredAtMs = decoded.occurredAtMs;
    this.movements = draft.movements;
    this.alerts = draft.alerts;
    this.effects = draft.effects;
    this.policy = { id: pack.id, version: pack.version };
  }

  digest(): string {
    return this.#decoded.digest();
  }
}
