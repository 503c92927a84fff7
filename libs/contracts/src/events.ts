// Typed shapes of the wire contract, version 1.

export type RejectionCode =
  | 'MALFORMED'
  | 'UNKNOWN_TYPE'
  | 'UNKNOWN_CHIP'
  | 'INVALID_COUNTRY'
  | 'DUPLICATE_CONFLICT'
  | 'FORBIDDEN_PUBLISHER'
  | 'NEGATIVE_INSTALLED_BASE'
  | 'UNSIGNED'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'WRONG_TOPIC'
  | 'WRONG_KEY';

export const REJECTION_CODES: readonly RejectionCode[] = [
  'MALFORMED',
  'UNKNOWN_TYPE',
  'UNKNOWN_CHIP',
  'INVALID_COUNTRY',
  'DUPLICATE_CONFLICT',
  'FORBIDDEN_PUBLISHER',
  'NEGATIVE_INSTALLED_BASE',
  'UNSIGNED',
  'UNKNOWN_KEY',
  'BAD_SIGNATURE',
  'WRONG_TOPIC',
  'WRONG_KEY',
];

export type AuthorizationKind = 'LICENSE' | 'LPP' | 'NVEU' | 'UVEU' | 'NONE';
export type VeuKind = 'NVEU' | 'UVEU';

import type { FromSchema } from 'json-schema-to-ts';
import type { catalogueItemSchema, customItemSchema } from './schemas/common.schema';
import type { deploymentV1Schema } from './schemas/deployment.v1.schema';
import type { licenceIssuedV1Schema, licenceRevokedV1Schema } from './schemas/licence.v1.schema';
import type { g2gArrangementV1Schema, veuGrantedV1Schema, veuRevokedV1Schema } from './schemas/policy.v1.schema';
import type { publisherKeyRegisteredV1Schema, publisherKeyRevokedV1Schema } from './schemas/publisher-key.v1.schema';
import type { signatureSchema } from './schemas/common.schema';
import type { shipmentV1Schema } from './schemas/shipment.v1.schema';

// The event types are derived from the JSON Schemas themselves, so the validator and the types cannot drift.
export type CatalogueItem = FromSchema<typeof catalogueItemSchema>;
export type CustomItem = FromSchema<typeof customItemSchema>;
export type Item = CatalogueItem | CustomItem;
export type ShipmentV1 = FromSchema<typeof shipmentV1Schema>;
export type DeploymentV1 = FromSchema<typeof deploymentV1Schema>;
export type VeuGrantedV1 = FromSchema<typeof veuGrantedV1Schema>;
export type VeuRevokedV1 = FromSchema<typeof veuRevokedV1Schema>;
export type G2gArrangementV1 = FromSchema<typeof g2gArrangementV1Schema>;

export type LicenceIssuedV1 = FromSchema<typeof licenceIssuedV1Schema>;
export type LicenceRevokedV1 = FromSchema<typeof licenceRevokedV1Schema>;
export type PublisherKeyRegisteredV1 = FromSchema<typeof publisherKeyRegisteredV1Schema>;
export type PublisherKeyRevokedV1 = FromSchema<typeof publisherKeyRevokedV1Schema>;
export type EventSignature = FromSchema<typeof signatureSchema>;

export type PolicyEventV1 = VeuGrantedV1 | VeuRevokedV1 | G2gArrangementV1 | PublisherKeyRegisteredV1 | PublisherKeyRevokedV1 | LicenceIssuedV1 | LicenceRevokedV1;
export type InputEventV1 = ShipmentV1 | DeploymentV1 | PolicyEventV1;
export type InputEventType = InputEventV1['type'];

export const INPUT_EVENT_TYPES: readonly InputEventType[] = [
  'chip.shipment',
  'dc.deployment',
  'policy.veu-granted',
  'policy.veu-revoked',
  'policy.g2g-arrangement',
  'policy.publisher-key-registered',
  'policy.publisher-key-revoked',
  'policy.license-issued',
  'policy.license-revoked',
];

export type AlertKind = 'THRESHOLD_CROSSED' | 'CAP_EXCEEDED' | 'PROHIBITED_DESTINATION' | 'UNAUTHORIZED';
export type AlertSeverity = 'info' | 'warning' | 'critical';

// Amounts are bigint in memory; on the wire they are JSON integers written digit for digit
// (see canonical-json.ts), never rounded through a float.
export interface ComplianceAlertV1 {
  type: 'compliance.alert';
  version: 1;
  alertId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  account: string;
  threshold: number | null;
  usedTpp: bigint;
  capTpp: bigint | null;
  utilization: number | null;
  causedBy: { publisher: string; eventId: string };
  policy: { id: string; version: string };
  at: string;
  // Added (optional) field: a sentence that explains the alert to a human.
  reason?: string;
}
