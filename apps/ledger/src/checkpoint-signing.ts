import { readFileSync } from 'node:fs';
import type { CheckpointSigning } from '@app/persistence';
import { ed25519PrivateKeyFromPem } from '@app/transparency';
import type { LedgerSettingsValue } from './ledger-settings.provider';

// The checkpoint key is read once at start; a ledger told to sign that cannot read its key does not start.
export function checkpointSigning(settings: LedgerSettingsValue): CheckpointSigning | null {
  if (settings.checkpointKeyFile === null) return null;
  return {
    origin: settings.origin,
    keyId: settings.checkpointKeyId,
    privateKey: ed25519PrivateKeyFromPem(readFileSync(settings.checkpointKeyFile, 'utf8')),
    everyEntries: settings.checkpointEveryEntries,
    everyMs: settings.checkpointEveryMs,
  };
}
