import type { ApiSettings } from '@app/config';
import { API_STREAM_DEFAULTS } from '@app/config';

// The part of the validated settings (libs/config, loaded once in main.ts) that the API module uses. Tests and the
// benchmark build it directly; nothing in the API reads process.env. The stream limits may be left out (then the
// defaults of libs/config apply), and so may the policy timeline (then POLICY_PACK judges), so that a test sets only
// what it exercises; and so may `signatures` (then pre-clearance takes signatures as optional, no regulator key trusted). The licence setting may be
// left out too (verify-if-known, the default).
export type ApiAppSettings = Pick<
  ApiSettings,
  'port' | 'database' | 'policyPack' | 'alertPollIntervalMs' | 'statementTimeoutMs' | 'reportingDelayThresholdHours'
> &
  Partial<Pick<ApiSettings, 'streamKeyRecheckIntervalMs' | 'streamsPerKeyMax' | 'ledgerPublicKeyFile' | 'policyTimeline' | 'signatures' | 'licences'>>;

export const API_SETTINGS = Symbol('API_SETTINGS');

export function streamSettingsOf(s: ApiAppSettings): Pick<ApiSettings, 'streamKeyRecheckIntervalMs' | 'streamsPerKeyMax'> {
  return {
    streamKeyRecheckIntervalMs: s.streamKeyRecheckIntervalMs ?? API_STREAM_DEFAULTS.streamKeyRecheckIntervalMs,
    streamsPerKeyMax: s.streamsPerKeyMax ?? API_STREAM_DEFAULTS.streamsPerKeyMax,
  };
}
