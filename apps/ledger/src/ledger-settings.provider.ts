import type { LedgerSettings } from '@app/config';

// DI token of the validated settings (read once in main.ts).
export const LEDGER_SETTINGS = Symbol('LEDGER_SETTINGS');
export type LedgerSettingsValue = Readonly<LedgerSettings>;

// DI token of the policy pack the ledger judges with (POLICY_PACK, loaded once).
export const POLICY_PACK = Symbol('POLICY_PACK');
