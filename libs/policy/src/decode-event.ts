// Stateless checks of one raw event, in the order the contract fixes: size, JSON and a string `type`
// (MALFORMED); a known type (UNKNOWN_TYPE); on Kafka, the topic and key (WRONG_TOPIC, WRONG_KEY); the rest of the
// shape (MALFORMED). The contract orders the signature and the publisher's right to send (which need the ledger's
// state) next, so the stateless checks that come after them (a policy event's publisher, FORBIDDEN_PUBLISHER;
// country codes, INVALID_COUNTRY; grant eligibility, MALFORMED; chip ids, UNKNOWN_CHIP) are made here but their
// rejection is handed to judge() as `deferred`, which reports it after its own checks of the signature and of a
// deployment's publisher. Idempotency and ledger-state checks come after, in judge().
import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
// From the contract's modules themselves, not its index: tsc's CommonJS output turns a name re-exported by an index
// into a getter that every call goes through (1.4% of the replay's profile).
import { canonicalUnsignedEventJson } from '@app/contracts/canonical-json';
import { contractKeyOf, keyIsChecked, topicOfType } from '@app/contracts/routing';
import { isAssignedCountry } from '@app/contracts/countries';
import type { InputEventV1, Item, RejectionCode } from '@app/contracts/events';
import { INPUT_SCHEMAS } from '@app/contracts/schemas';
import { EVENT_BYTES_MAX } from '@app/contracts/topics';
import { formatViolations, validateAgainstSchema } from '@app/contracts/validate';
import { packAt, tierOf, type PolicyPack } from './policy-pack';
import { verifyEd25519 } from './signatures/ed25519';

export interface DecodedEvent {
  ok: true;
  event: InputEventV1;
  occurredAtMs: number;
  // A stateless rejection that the contract orders after the signature and publisher checks (see the top of this
  // file); judge() reports it after those. null for an event that passed every stateless check.
  deferred: DecodeRejection | null;
  // Digest of the canonical payload without `signature` (the idempotency comparison). Computed on first use: most
  // events are new keys, and the offline replay keeps a reference to the line instead of a digest (see
  // MemoryLedgerState.markSeen).
  digest(): string;
  // The RFC 8785 canonical form without `signature`: the text whose UTF-8 the publisher signed.
  unsignedText(): string;
  // Whether the event's signature verifies with this public key: the verdict given by preverify() for the same
  // key, or verified now.
  signatureVerifies(publicKey: string): boolean;
  // A verdict computed ahead of judging (off the judging thread) for the key the signature's key id names.
  preverify(publicKey: string, valid: boolean): void;
}

class Decoded implements DecodedEvent {
  readonly ok = true as const;
  private cachedDigest: string | undefined = undefined;
  private cachedText: string | undefined = undefined;
  private verdictKey: string | undefined = undefined;
  private verdict = false;
  constructor(
    readonly event: InputEventV1,
    readonly occurredAtMs: number,
    readonly deferred: DecodeRejection | null,
  ) {}

  digest(): string {
    return (this.cachedDigest ??= hash('sha256', this.unsignedText(), 'hex').slice(0, 32));
  }

  unsignedText(): string {
    return (this.cachedText ??= canonicalUnsignedEventJson(this.event));
  }

  signatureVerifies(publicKey: string): boolean {
    const signature = this.event.signature;
    if (signature === undefined) return false;
    if (this.verdictKey !== publicKey) this.preverify(publicKey, verifyEd25519(this.unsignedText(), signature.value, publicKey));
    return this.verdict;
  }

  preverify(publicKey: string, valid: boolean): void {
    this.verdictKey = publicKey;
    this.verdict = valid;
  }
}

export interface DecodeRejection {
  ok: false;
  code: RejectionCode;
  message: string;
  publisher: string | null;
  eventId: string | null;
}

export type DecodeResult = DecodedEvent | DecodeRejection;

export const REGULATOR_PUBLISHER = 'regulator';

function reject(code: RejectionCode, message: string, doc?: Record<string, unknown>): DecodeRejection {
  const publisher = typeof doc?.['publisher'] === 'string' ? (doc['publisher'] as string) : null;
  const eventId = typeof doc?.['eventId'] === 'string' ? (doc['eventId'] as string) : null;
  return { ok: false, code, message, publisher, eventId };
}

// The instant of an occurredAt that matched the schema's pattern (YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)),
// or NaN when it is not a real calendar instant. Date.parse alone accepts 2026-02-30 and rolls it over, and
// 24:00:00; a legal record must not. Fractions beyond milliseconds are truncated, as Date.parse does.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digit = (text: string, i: number): number => text.charCodeAt(i) - 48;
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

export function parseOccurredAt(text: string): number {
  const y = two(text, 0) * 100 + two(text, 2);
  const mo = two(text, 5);
  const d = two(text, 8);
  const h = two(text, 11);
  const mi = two(text, 14);
  const s = two(text, 17);
  if (h > 23 || mi > 59 || s > 59 || mo < 1 || mo > 12) return NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d < 1 || d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return NaN;
  const zone = text.charCodeAt(text.length - 1);
  // UTC ('Z') from year 100 on (Date.UTC reads years 0-99 as 1900-1999): computed directly. Offsets and early years
  // go through Date.parse, which also refuses offsets such as +24:00.
  if ((zone === 0x5a || zone === 0x7a) && y >= 100) {
    let ms = 0;
    if (text.charCodeAt(19) === 0x2e) {
      const end = Math.min(text.length - 1, 23);
      for (let i = 20; i < 23; i++) ms = ms * 10 + (i < end ? digit(text, i) : 0);
    }
    return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  }
  return Date.parse(text);
}

// The idempotency digest: of the canonical payload without `signature`, so the same event signed again (say with a
// rotated key) is a duplicate, not a conflict.
export function payloadDigest(event: InputEventV1): string {
  return hash('sha256', canonicalUnsignedEventJson(event), 'hex').slice(0, 32);
}

// Where a Kafka message came from: its topic and its key. Records that do not come from Kafka (the offline replay,
// tools) have none, and the topic and key checks are not made.
export interface MessageRoute {
  topic: string | null;
  key: Buffer | string | null;
}

export function decodeEvent(pack: PolicyPack, raw: Buffer | string | null, route?: MessageRoute): DecodeResult {
  if (raw === null) return reject('MALFORMED', 'empty message');
  const bytes = typeof raw === 'string' ? (raw.length * 3 <= EVENT_BYTES_MAX ? raw.length : Buffer.byteLength(raw)) : raw.length;
  if (bytes > EVENT_BYTES_MAX) return reject('MALFORMED', `event is larger than ${EVENT_BYTES_MAX} bytes; not parsed`);

  // Replacing invalid bytes would let two different payloads read alike; a legal record takes text as sent.
  if (typeof raw !== 'string' && !isUtf8(raw)) return reject('MALFORMED', 'event is not valid UTF-8');
  let doc: unknown;
  try {
    doc = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (e) {
    return reject('MALFORMED', `not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return reject('MALFORMED', 'event must be a JSON object');
  const record = doc as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string') return reject('MALFORMED', 'missing string field "type"', record);
  if (!Object.prototype.hasOwnProperty.call(INPUT_SCHEMAS, type)) return reject('UNKNOWN_TYPE', `unknown event type "${type}"`, record);
  if (route !== undefined && route.topic !== null) {
    const misrouted = routeViolation(type, record, route.topic, route.key);
    if (misrouted !== null) return reject(misrouted.code, misrouted.message, record);
  }

  const violations = validateAgainstSchema(type, record);
  if (violations.length > 0) return reject('MALFORMED', formatViolations(violations), record);
  const event = record as unknown as InputEventV1;
  const occurredAtMs = parseOccurredAt(event.occurredAt);
  if (Number.isNaN(occurredAtMs)) return reject('MALFORMED', '/occurredAt: not a valid RFC 3339 date-time', record);
  if (event.type === 'policy.license-issued') {
    const badValidity = licenceValidityViolation(event.license.validFrom, event.license.validTo);
    if (badValidity !== null) return reject('MALFORMED', badValidity, record);
  }
  if (event.type === 'policy.publisher-key-registered' && event.key.keyId.startsWith(`${REGULATOR_PUBLISHER}/`)) {
    return reject('MALFORMED', `/key/keyId: "${event.key.keyId}" is a regulator key; the regulator's keys are trust anchors given by configuration, never registered by events`, record);
  }
  return new Decoded(event, occurredAtMs, laterRejection(pack, event, occurredAtMs, record));
}

// WRONG_TOPIC when the type belongs on another topic; WRONG_KEY when, on a topic whose key places the event, the
// message key is not the contract's key for the event (a missing key field is left to the shape check).
function routeViolation(type: string, record: Record<string, unknown>, topic: string, key: Buffer | string | null): { code: RejectionCode; message: string } | null {
  const own = topicOfType(type);
  if (own !== topic) return { code: 'WRONG_TOPIC', message: `${type} events belong on ${own}, not on ${topic}` };
  if (!keyIsChecked(topic)) return null;
  const expected = contractKeyOf(record);
  if (expected === null) return null;
  const actual = key === null ? null : typeof key === 'string' ? key : key.toString('utf8');
  if (actual === expected) return null;
  return { code: 'WRONG_KEY', message: `the message key must be "${expected}" for this ${type} on ${topic} (got ${actual === null ? 'no key' : JSON.stringify(actual)})` };
}

// The stateless checks that the contract orders after the signature and publisher checks (see the top of the file).
function laterRejection(pack: PolicyPack, event: InputEventV1, occurredAtMs: number, record: Record<string, unknown>): DecodeRejection | null {
  const type = event.type;
  if (type.startsWith('policy.') && event.publisher !== REGULATOR_PUBLISHER) {
    return reject('FORBIDDEN_PUBLISHER', `only "${REGULATOR_PUBLISHER}" may send ${type} (got "${event.publisher}")`, record);
  }

  const badCountry = invalidCountryField(event);
  if (badCountry !== null) {
    return reject('INVALID_COUNTRY', `${badCountry[0]}: "${badCountry[1]}" is not an assigned ISO 3166-1 alpha-2 code`, record);
  }
  if (event.type === 'policy.veu-granted') {
    // Eligibility of a grant is a property of its values, so it is reported as a shape violation.
    // Under a timeline, the pack in force at the grant says which tier each country is in.
    const v = event.veu;
    const inForce = packAt(pack, occurredAtMs);
    if (v.kind === 'UVEU' && tierOf(inForce, v.headquarters, occurredAtMs) !== 1) {
      return reject('MALFORMED', `/veu/headquarters: a UVEU must be headquartered in a Tier 1 country ("${v.headquarters}" is not)`, record);
    }
    if (v.kind === 'NVEU' && tierOf(inForce, v.country, occurredAtMs) === 3) {
      return reject('MALFORMED', `/veu/country: an NVEU cannot be granted in a Tier 3 country ("${v.country}")`, record);
    }
    if (v.kind === 'NVEU' && v.headquarters !== undefined && tierOf(inForce, v.headquarters, occurredAtMs) === 3) {
      return reject('MALFORMED', `/veu/headquarters: an NVEU cannot be headquartered in a Tier 3 country ("${v.headquarters}")`, record);
    }
  }

  if (event.type === 'chip.shipment' || event.type === 'dc.deployment') {
    const items: Item[] = event.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if ('chip' in item && !pack.catalogue.has(item.chip)) {
        return reject('UNKNOWN_CHIP', `/items/${i}/chip: "${item.chip}" is not in the chip catalogue`, record);
      }
    }
  }
  return null;
}

// The first country field that is not an assigned code, as [path, value]; null when all are (no list is built for
// the events whose fields are fine, which is nearly all).
function invalidCountryField(event: InputEventV1): [string, string] | null {
  switch (event.type) {
    case 'chip.shipment':
      return isAssignedCountry(event.consignee.country) ? null : ['/consignee/country', event.consignee.country];
    case 'dc.deployment':
      return isAssignedCountry(event.dataCenter.country) ? null : ['/dataCenter/country', event.dataCenter.country];
    case 'policy.veu-granted': {
      const hq = event.veu.headquarters;
      if (hq !== undefined && !isAssignedCountry(hq)) return ['/veu/headquarters', hq];
      if (event.veu.kind === 'NVEU' && !isAssignedCountry(event.veu.country)) return ['/veu/country', event.veu.country];
      return null;
    }
    case 'policy.g2g-arrangement':
      return isAssignedCountry(event.country) ? null : ['/country', event.country];
    case 'policy.license-issued':
      return isAssignedCountry(event.license.consignee.country) ? null : ['/license/consignee/country', event.license.consignee.country];
    default:
      return null;
  }
}

// A licence's validity window is part of its shape: both ends real instants, validTo after validFrom.
function licenceValidityViolation(validFrom: string, validTo: string): string | null {
  const fromMs = parseOccurredAt(validFrom);
  if (Number.isNaN(fromMs)) return '/license/validFrom: not a valid RFC 3339 date-time';
  const toMs = parseOccurredAt(validTo);
  if (Number.isNaN(toMs)) return '/license/validTo: not a valid RFC 3339 date-time';
  return toMs > fromMs ? null : `/license/validTo: must be after validFrom (${validFrom})`;
}
