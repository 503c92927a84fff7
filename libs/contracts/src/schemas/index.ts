import { complianceAlertV1Schema } from './alert.v1.schema';
import { deploymentV1Schema } from './deployment.v1.schema';
import { licenceIssuedV1Schema, licenceRevokedV1Schema } from './licence.v1.schema';
import { g2gArrangementV1Schema, veuGrantedV1Schema, veuRevokedV1Schema } from './policy.v1.schema';
import { publisherKeyRegisteredV1Schema, publisherKeyRevokedV1Schema } from './publisher-key.v1.schema';
import { shipmentV1Schema } from './shipment.v1.schema';

export {
  complianceAlertV1Schema,
  deploymentV1Schema,
  g2gArrangementV1Schema,
  publisherKeyRegisteredV1Schema,
  publisherKeyRevokedV1Schema,
  shipmentV1Schema,
  veuGrantedV1Schema,
  veuRevokedV1Schema,
};
export { licenceIssuedV1Schema, licenceRevokedV1Schema, LICENCE_TPP_MAX } from './licence.v1.schema';

// Input schemas by event `type`. The published JSON files (libs/contracts/schemas/*.json) are written from these
// objects by `npm run -s ledger -- schemas` and a test checks they are identical.
export const INPUT_SCHEMAS = {
  'chip.shipment': shipmentV1Schema,
  'dc.deployment': deploymentV1Schema,
  'policy.veu-granted': veuGrantedV1Schema,
  'policy.veu-revoked': veuRevokedV1Schema,
  'policy.g2g-arrangement': g2gArrangementV1Schema,
  'policy.publisher-key-registered': publisherKeyRegisteredV1Schema,
  'policy.publisher-key-revoked': publisherKeyRevokedV1Schema,
  'policy.license-issued': licenceIssuedV1Schema,
  'policy.license-revoked': licenceRevokedV1Schema,
} as const;

export const ALL_SCHEMAS = { ...INPUT_SCHEMAS, 'compliance.alert': complianceAlertV1Schema } as const;

// The published files (libs/contracts/schemas/*.json), as written by `ledger schemas`.
export function publishedSchemaFiles(): Array<{ name: string; text: string }> {
  return Object.entries(ALL_SCHEMAS).map(([type, schema]) => ({
    name: `${type}.v1.schema.json`,
    text: `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`,
  }));
}
