import { loadAuthenticity, loadJudgingPolicy, SIGNATURES_OPTIONAL, type Authenticity, type PolicyPack, withLicenceSetting } from '@app/policy';
import type { Provider } from '@nestjs/common';
import { API_SETTINGS, type ApiAppSettings } from './api-settings';

// The pack the ledger judges with: the API needs it for tiers and thresholds, and pre-clearance judges with it.
export const POLICY_PACK = Symbol('POLICY_PACK');

export const policyPackProvider: Provider = {
  provide: POLICY_PACK,
  inject: [API_SETTINGS],
  // A timeline when POLICY_TIMELINE is set: pre-clearance and account caps then use the pack in force at each instant.
  useFactory: (settings: ApiAppSettings): PolicyPack => withLicenceSetting(
    loadJudgingPolicy({ pack: settings.policyPack, timeline: settings.policyTimeline ?? null }),
    settings.licences ?? 'verify-if-known',
  ),
};

// The signature rules the ledger judges with (SIGNATURES, TRUSTED_KEYS_FILE): pre-clearance predicts what it would do.
export const AUTHENTICITY = Symbol('AUTHENTICITY');

export const authenticityProvider: Provider = {
  provide: AUTHENTICITY,
  inject: [API_SETTINGS],
  useFactory: (settings: ApiAppSettings): Authenticity =>
    settings.signatures === undefined ? SIGNATURES_OPTIONAL : loadAuthenticity(settings.signatures.enforcement, settings.signatures.trustedKeysFile),
};
