import type { RelaySettings } from '@app/config';

export const RELAY_SETTINGS = Symbol('RELAY_SETTINGS');
export type RelaySettingsValue = Readonly<RelaySettings>;
