// Licences are policy data (CONTRACTS.md, "Licences"): a regulator issues a licence to one exporter for one consignee,
// with a validity window and an approved TPP, and may revoke it. Licence ids become part of account ids
// (`license:ID`), so they follow the entity id pattern (no ':').
import { COMMON_REQUIRED, commonProperties, countrySchema, entityIdSchema, OCCURRED_AT_PATTERN, PUBLISHER_PATTERN } from './common.schema';

// The largest approved TPP a licence may carry (10^15, a safe integer, so JSON readers in any language keep it exact).
export const LICENCE_TPP_MAX = 1_000_000_000_000_000;

export const licenceIssuedV1Schema = {
  $id: 'https://schemas.compute-ledger.example/policy.license-issued.v1.json',
  title: 'policy.license-issued v1: a regulator approved an export licence',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'license'],
  properties: {
    ...commonProperties('policy.license-issued'),
    license: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'exporter', 'consignee', 'validFrom', 'validTo', 'tpp'],
      properties: {
        id: entityIdSchema,
        // The publisher id of the chipmaker that may ship under it.
        exporter: { type: 'string', pattern: PUBLISHER_PATTERN },
        consignee: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'country'],
          properties: { id: entityIdSchema, country: countrySchema },
        },
        // RFC 3339 with a zone, as occurredAt; validTo must be after validFrom (checked after the pattern).
        validFrom: { type: 'string', pattern: OCCURRED_AT_PATTERN },
        validTo: { type: 'string', pattern: OCCURRED_AT_PATTERN },
        tpp: { type: 'integer', minimum: 1, maximum: LICENCE_TPP_MAX },
      },
    },
  },
} as const;

export const licenceRevokedV1Schema = {
  $id: 'https://schemas.compute-ledger.example/policy.license-revoked.v1.json',
  title: 'policy.license-revoked v1: a regulator revoked an export licence',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'license'],
  properties: {
    ...commonProperties('policy.license-revoked'),
    license: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: { id: entityIdSchema },
    },
  },
} as const;
