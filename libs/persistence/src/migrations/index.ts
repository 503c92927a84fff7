import { LedgerSchema1764115200000 } from './1764115200000-ledger-schema.migration';

// Listed explicitly (no glob): the compiled set of migrations is exactly what this array says.
export const LEDGER_MIGRATIONS = [LedgerSchema1764115200000] as const;
