import { COMMON_REQUIRED, commonProperties, countrySchema, entityIdSchema, itemsSchema, REF_CHARS_MAX } from './common.schema';

export const shipmentV1Schema = {
  $id: 'https://schemas.compute-ledger.example/chip.shipment.v1.json',
  title: 'chip.shipment v1: a chipmaker exported chips',
  type: 'object',
  additionalProperties: false,
  required: [...COMMON_REQUIRED, 'consignee', 'authorization', 'items'],
  properties: {
    ...commonProperties('chip.shipment'),
    consignee: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'country'],
      properties: { id: entityIdSchema, country: countrySchema },
    },
    authorization: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: {
            kind: { enum: ['LICENSE', 'LPP', 'NONE'] },
            ref: { type: 'string', minLength: 1, maxLength: REF_CHARS_MAX },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'ref'],
          properties: { kind: { enum: ['NVEU', 'UVEU'] }, ref: entityIdSchema },
        },
      ],
    },
    items: itemsSchema,
  },
} as const;
