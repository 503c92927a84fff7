import { EVENT_ID_PATTERN, PUBLISHER_PATTERN } from './common.schema';

// Amounts are JSON integers of any size (they are written digit for digit from bigints).
export const complianceAlertV1Schema = {
  $id: 'https://schemas.compute-ledger.example/compliance.alert.v1.json',
  title: 'compliance.alert v1: the ledger raised an alert',
  type: 'object',
  additionalProperties: false,
  required: [
    'type', 'version', 'alertId', 'kind', 'severity', 'account', 'threshold',
    'usedTpp', 'capTpp', 'utilization', 'causedBy', 'policy', 'at',
  ],
  properties: {
    type: { const: 'compliance.alert' },
    version: { const: 1 },
    alertId: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    kind: { enum: ['THRESHOLD_CROSSED', 'CAP_EXCEEDED', 'PROHIBITED_DESTINATION', 'UNAUTHORIZED'] },
    severity: { enum: ['info', 'warning', 'critical'] },
    account: { type: 'string', minLength: 1 },
    threshold: { type: ['number', 'null'] },
    usedTpp: { type: 'integer' },
    capTpp: { type: ['integer', 'null'] },
    utilization: { type: ['number', 'null'] },
    causedBy: {
      type: 'object',
      additionalProperties: false,
      required: ['publisher', 'eventId'],
      properties: {
        publisher: { type: 'string', pattern: PUBLISHER_PATTERN },
        eventId: { type: 'string', pattern: EVENT_ID_PATTERN },
      },
    },
    policy: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'version'],
      properties: { id: { type: 'string' }, version: { type: 'string' } },
    },
    at: { type: 'string' },
    reason: { type: 'string' },
  },
} as const;
