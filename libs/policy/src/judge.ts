// The judgement: given the ledger so far and one decoded event, which accounts move by how much and which alerts
// fire. Pure: it reads the state through LedgerReadState and returns an Outcome; applyOutcome() writes it.
// The services, the offline replay and the pre-clearance API all call these functions.
import { admissionRejection } from './admission';
import type { DecodeResult } from './decode-event';
import type { LedgerReadState } from './ledger-state';
import { packAt, type PolicyPack } from './policy-pack';
import { judgeDeployment } from './judging/deployment';
import { Recorded, type Draft, type Outcome } from './judging/outcome';
import { judgeShipment } from './judging/shipment';
import type { AlertContext } from './judging/thresholds';
import { judgeLicenceIssued, judgeLicenceRevoked } from './licences/licence-judge';
import { judgePublisherKeyEvent } from './publisher-keys';
import { SIGNATURES_OPTIONAL, type Authenticity } from './signatures/authenticity';

// The rules, by concern, under ./judging: tpp (what is controlled), thresholds (alerts), shipment, deployment,
// uveu-ratios, movements (what those share); then what the callers do with an outcome: apply-outcome, account-view,
// requirements (what to load before judging), cap-subjects (whose caps an effect moves).
export type { Outcome, RecordedOutcome } from './judging/outcome';

// `auth`: the signature enforcement and the regulator's trust anchors (by default signatures are optional and no
// regulator key is trusted). Between the shape and idempotency come the signature, the publisher's right and the
// stateless checks decodeEvent deferred (admission.ts).
export function judge(policy: PolicyPack, state: LedgerReadState, decoded: DecodeResult, auth: Authenticity = SIGNATURES_OPTIONAL): Outcome {
  if (!decoded.ok) {
    return { status: 'rejected', code: decoded.code, message: decoded.message, publisher: decoded.publisher, eventId: decoded.eventId };
  }
  const { event, occurredAtMs } = decoded;
  const refused = admissionRejection(auth, state, decoded);
  if (refused !== null) return { status: 'rejected', code: refused.code, message: refused.message, publisher: event.publisher, eventId: event.eventId };
  // Under a timeline, the pack in force at the event judges it (and is the one its outcome names).
  const pack = packAt(policy, occurredAtMs);
  const seen = state.seen(event.publisher, event.eventId);
  if (seen !== undefined) {
    if (seen === decoded.digest()) return { status: 'duplicate', publisher: event.publisher, eventId: event.eventId };
    return {
      status: 'rejected',
      code: 'DUPLICATE_CONFLICT',
      message: `(${event.publisher}, ${event.eventId}) was already recorded with a different payload`,
      publisher: event.publisher,
      eventId: event.eventId,
    };
  }

  const draft: Draft = { movements: [], alerts: [], effects: [] };
  const ctx: AlertContext = { pack, event, out: draft.alerts };
  switch (event.type) {
    case 'chip.shipment':
      judgeShipment(pack, state, event, occurredAtMs, ctx, draft);
      break;
    case 'dc.deployment': {
      const rejection = judgeDeployment(pack, state, event, occurredAtMs, ctx, draft);
      if (rejection !== null) return rejection;
      break;
    }
    case 'policy.veu-granted': {
      const v = event.veu;
      draft.effects.push({
        kind: 'veu-granted',
        grant: {
          id: v.id,
          kind: v.kind,
          headquarters: v.headquarters ?? null,
          country: v.kind === 'NVEU' ? v.country : null,
          active: true,
          reporters: v.reporters ?? [],
        },
      });
      break;
    }
    case 'policy.publisher-key-registered':
    case 'policy.publisher-key-revoked': {
      const judged = judgePublisherKeyEvent(state, event);
      if ('rejection' in judged) return { status: 'rejected', code: 'MALFORMED', message: judged.rejection, publisher: event.publisher, eventId: event.eventId };
      draft.effects.push(judged.effect);
      break;
    }
    case 'policy.veu-revoked':
      draft.effects.push({ kind: 'veu-revoked', veuId: event.veu.id });
      break;
    case 'policy.g2g-arrangement':
      draft.effects.push({ kind: 'g2g-arranged', country: event.country });
      break;
    case 'policy.license-issued':
    case 'policy.license-revoked': {
      const rejection =
        event.type === 'policy.license-issued'
          ? judgeLicenceIssued(pack, state, event, occurredAtMs, ctx, draft)
          : judgeLicenceRevoked(pack, state, event, occurredAtMs, ctx, draft);
      if (rejection !== null) return { status: 'rejected', ...rejection, publisher: event.publisher, eventId: event.eventId };
      break;
    }
  }
  return new Recorded(decoded, draft, pack);
}
