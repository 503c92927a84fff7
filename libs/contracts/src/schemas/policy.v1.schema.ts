import { COMMON_REQUIRED, commonProperties, countrySchema, entityIdSchema, PUBLISHER_PATTERN, REPORTERS_MAX } from './common.schema';

// Publisher ids, besides the VEU id itself, allowed to send deployments for the VEU while this grant is in force.
const reportersSchema = {
  type: 'array',
  maxItems: REPORTERS_MAX,
  items: { type: 'string', pattern: PUBLISHER_PATTERN },
} as const;

export const veuGrantedV1Schema = {
  $id: 'https://schemas.compute-ledger.example/policy.veu-granted.v1.json',
  title: 'policy.veu-granted v1: a regulator granted Validated End User status',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'veu'],
  properties: {
    ...commonProperties('policy.veu-granted'),
    veu: {
      oneOf: [
        {
          // A Universal VEU is headquartered in a Tier 1 country and is not tied to one country.
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'id', 'headquarters'],
          properties: { kind: { const: 'UVEU' }, id: entityIdSchema, headquarters: countrySchema, reporters: reportersSchema },
        },
        {
          // A National VEU operates in exactly one country (not Tier 3).
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'id', 'country'],
          properties: {
            kind: { const: 'NVEU' },
            id: entityIdSchema,
            headquarters: countrySchema,
            country: countrySchema,
            reporters: reportersSchema,
          },
        },
      ],
    },
  },
} as const;

export const veuRevokedV1Schema = {
  $id: 'https://schemas.compute-ledger.example/policy.veu-revoked.v1.json',
  title: 'policy.veu-revoked v1: a regulator revoked a VEU',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'veu'],
  properties: {
    ...commonProperties('policy.veu-revoked'),
    veu: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: { id: entityIdSchema },
    },
  },
} as const;

export const g2gArrangementV1Schema = {
  $id: 'https://schemas.compute-ledger.example/policy.g2g-arrangement.v1.json',
  title: 'policy.g2g-arrangement v1: a government-to-government arrangement doubles a Tier 2 allocation',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'country'],
  properties: {
    ...commonProperties('policy.g2g-arrangement'),
    country: countrySchema,
  },
} as const;
