import { LedgerSchema1764115200000 } from './1764115200000-ledger-schema.migration';
import { ApiKeys1764288000000 } from './1764288000000-api-keys.migration';

// Listed explicitly (no glob): the compiled set of migrations is exactly what this array says.
export const LEDGER_MIGRATIONS = [LedgerSchema1764115200000, ApiKeys1764288000000] as const;
