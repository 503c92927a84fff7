import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import { rawPublicKey, readLedgerPublicKey } from '@app/transparency';
import { API_SETTINGS, type ApiAppSettings } from '../api-settings';

// The ledger's Ed25519 public key as the API hands it to the dashboard (base64url of the raw 32 bytes), or null when
// API_LEDGER_PUBLIC_KEY_FILE is unset. Read once at start: an unreadable or non-Ed25519 file stops the API with the
// reason, rather than serving a key nobody configured. A regulator still compares it with the key published to them
// out of band: a key served by the API proves only what the API's operator says.
export const LEDGER_PUBLIC_KEY = Symbol('LEDGER_PUBLIC_KEY');

export const ledgerPublicKeyProvider: Provider = {
  provide: LEDGER_PUBLIC_KEY,
  inject: [API_SETTINGS],
  useFactory: (settings: ApiAppSettings): string | null => {
    const file = settings.ledgerPublicKeyFile ?? null;
    if (file === null) return null;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`API_LEDGER_PUBLIC_KEY_FILE: cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      return rawPublicKey(readLedgerPublicKey(text));
    } catch (err) {
      throw new Error(`API_LEDGER_PUBLIC_KEY_FILE: ${file} is not an Ed25519 public key: ${(err as Error).message}`);
    }
  },
};
