import type { ApiSettings } from '@app/config';

// The part of the validated settings (libs/config, loaded once in main.ts) that the API module uses. Tests and the
// benchmark build it directly; nothing in the API reads process.env.
// `signatures` (how pre-clearance checks signatures, as the ledger does) is optional for the tests that build the
// settings: without it, signatures are optional and no regulator key is trusted.
export type ApiAppSettings = Pick<
  ApiSettings,
  'port' | 'database' | 'policyPack' | 'alertPollIntervalMs' | 'statementTimeoutMs' | 'reportingDelayThresholdHours'
> &
  Partial<Pick<ApiSettings, 'signatures'>>;

export const API_SETTINGS = Symbol('API_SETTINGS');
