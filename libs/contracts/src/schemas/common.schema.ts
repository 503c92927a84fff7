// Building blocks shared by the v1 event schemas. Patterns are anchored; limits carry their units in the names.
export const EVENT_ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';
export const PUBLISHER_PATTERN = '^[a-z0-9-]{1,64}$';
// RFC 3339 date-time with a zone (Z or +hh:mm). Calendar validity is checked after the pattern.
export const OCCURRED_AT_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$';
// Shape only: whether the code is assigned is checked separately (INVALID_COUNTRY).
export const COUNTRY_PATTERN = '^[A-Z]{2}$';
// Identifiers of consignees, VEUs and data centres. They become parts of account ids, which use ':' as the
// separator, so ':' is the one printable character they may not contain (nor control characters, nor leading or
// trailing spaces, which would make two ids look alike).
export const ENTITY_ID_PATTERN = '^(?! )[^:\\u0000-\\u001f\\u007f]{1,128}(?<! )$';
// A well-formed chip model id; whether the catalogue knows it is checked separately (UNKNOWN_CHIP).
export const CHIP_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$';

export const QUANTITY_MAX = 10_000_000;
export const TPP_PER_UNIT_MAX = 10_000_000;
export const ITEMS_MAX = 1000;
export const LABEL_CHARS_MAX = 200;
export const DIE_AREA_MM2_MAX = 100_000;
export const REF_CHARS_MAX = 128;
export const REPORTERS_MAX = 100;

// Authenticity (CONTRACTS.md, "Authenticity: signed events and publisher keys"). A key id is `<publisher>/<name>`;
// a signature value is the 64 raw bytes of an Ed25519 signature and a public key the 32 raw bytes of an Ed25519
// key, both base64url without padding (86 and 43 characters). The unused low bits of a public key's last character
// must be 0 (one spelling per key); a signature whose last character spells the same bytes another way is refused
// by the verifier as BAD_SIGNATURE rather than here, so that altering any character of a signature is a bad
// signature, never a well-formed copy of the good one.
export const KEY_NAME_PATTERN = '[A-Za-z0-9._-]{1,64}';
export const KEY_ID_PATTERN = '^[a-z0-9-]{1,64}/[A-Za-z0-9._-]{1,64}$';
export const SIGNATURE_VALUE_PATTERN = '^[A-Za-z0-9_-]{86}$';
export const PUBLIC_KEY_PATTERN = '^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$';

export const signatureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['alg', 'keyId', 'value'],
  properties: {
    alg: { const: 'Ed25519' },
    keyId: { type: 'string', pattern: KEY_ID_PATTERN },
    value: { type: 'string', pattern: SIGNATURE_VALUE_PATTERN },
  },
} as const;

export const countrySchema = { type: 'string', pattern: COUNTRY_PATTERN } as const;
export const entityIdSchema = { type: 'string', pattern: ENTITY_ID_PATTERN } as const;

export const catalogueItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['chip', 'quantity'],
  properties: {
    chip: { type: 'string', pattern: CHIP_ID_PATTERN },
    quantity: { type: 'integer', minimum: 1, maximum: QUANTITY_MAX },
    label: { type: 'string', maxLength: LABEL_CHARS_MAX },
  },
} as const;

export const customItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tppPerUnit', 'quantity'],
  properties: {
    tppPerUnit: { type: 'integer', minimum: 1, maximum: TPP_PER_UNIT_MAX },
    quantity: { type: 'integer', minimum: 1, maximum: QUANTITY_MAX },
    label: { type: 'string', maxLength: LABEL_CHARS_MAX },
    dieAreaMm2: { type: 'number', exclusiveMinimum: 0, maximum: DIE_AREA_MM2_MAX },
  },
} as const;

export const itemsSchema = {
  type: 'array',
  minItems: 1,
  maxItems: ITEMS_MAX,
  items: { oneOf: [catalogueItemSchema, customItemSchema] },
} as const;

export function commonProperties<T extends string>(type: T) {
  return {
    type: { const: type },
    version: { const: 1 },
    eventId: { type: 'string', pattern: EVENT_ID_PATTERN },
    publisher: { type: 'string', pattern: PUBLISHER_PATTERN },
    occurredAt: { type: 'string', pattern: OCCURRED_AT_PATTERN },
    // Optional on every input event: a detached signature over the event's canonical form without this member.
    signature: signatureSchema,
  } as const;
}

export const COMMON_REQUIRED = ['type', 'version', 'eventId', 'publisher', 'occurredAt'] as const;
