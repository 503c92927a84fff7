import type { ApiSettings } from '@app/config';

// The part of the validated settings (libs/config, loaded once in main.ts) that the API module uses. Tests and the
// benchmark build it directly; nothing in the API reads process.env.
// `licences` may be left out (verify-if-known, the default).
export type ApiAppSettings = Pick<
  ApiSettings,
  'port' | 'database' | 'policyPack' | 'alertPollIntervalMs' | 'statementTimeoutMs' | 'reportingDelayThresholdHours'
> &
  Partial<Pick<ApiSettings, 'licences'>>;

export const API_SETTINGS = Symbol('API_SETTINGS');
