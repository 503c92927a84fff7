import { loadPolicyPack, withLicenceSetting, type PolicyPack } from '@app/policy';
import type { Provider } from '@nestjs/common';
import { API_SETTINGS, type ApiAppSettings } from './api-settings';

// The pack the ledger judges with: the API needs it for tiers and thresholds, and pre-clearance judges with it.
export const POLICY_PACK = Symbol('POLICY_PACK');

export const policyPackProvider: Provider = {
  provide: POLICY_PACK,
  inject: [API_SETTINGS],
  useFactory: (settings: ApiAppSettings): PolicyPack => withLicenceSetting(loadPolicyPack(settings.policyPack), settings.licences ?? 'verify-if-known'),
};
