import { COMMON_REQUIRED, commonProperties, countrySchema, entityIdSchema, itemsSchema } from './common.schema';

export const deploymentV1Schema = {
  $id: 'https://schemas.compute-ledger.example/dc.deployment.v1.json',
  title: 'dc.deployment v1: a VEU installed or removed chips in a data center',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'veu', 'dataCenter', 'action', 'items'],
  properties: {
    ...commonProperties('dc.deployment'),
    veu: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'id'],
      properties: { kind: { enum: ['NVEU', 'UVEU'] }, id: entityIdSchema },
    },
    dataCenter: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'country'],
      properties: { id: entityIdSchema, country: countrySchema },
    },
    action: { enum: ['INSTALL', 'REMOVE'] },
    items: itemsSchema,
  },
} as const;
