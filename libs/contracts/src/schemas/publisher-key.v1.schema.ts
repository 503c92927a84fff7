import { COMMON_REQUIRED, commonProperties, KEY_ID_PATTERN, PUBLIC_KEY_PATTERN } from './common.schema';

export const publisherKeyRegisteredV1Schema = {
  $id: 'https://schemas.compute-ledger.example/policy.publisher-key-registered.v1.json',
  title: 'policy.publisher-key-registered v1: a regulator registered the public key a publisher signs its events with',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'key'],
  properties: {
    ...commonProperties('policy.publisher-key-registered'),
    key: {
      type: 'object',
      additionalProperties: false,
      required: ['keyId', 'publicKey'],
      properties: {
        keyId: { type: 'string', pattern: KEY_ID_PATTERN },
        // The 32 raw bytes of an Ed25519 public key, base64url without padding.
        publicKey: { type: 'string', pattern: PUBLIC_KEY_PATTERN },
      },
    },
  },
} as const;

export const publisherKeyRevokedV1Schema = {
  $id: 'https://schemas.compute-ledger.example/policy.publisher-key-revoked.v1.json',
  title: 'policy.publisher-key-revoked v1: a regulator revoked a publisher key; it verifies no later event',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'key'],
  properties: {
    ...commonProperties('policy.publisher-key-revoked'),
    key: {
      type: 'object',
      additionalProperties: false,
      required: ['keyId'],
      properties: { keyId: { type: 'string', pattern: KEY_ID_PATTERN } },
    },
  },
} as const;
