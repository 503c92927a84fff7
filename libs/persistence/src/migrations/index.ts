import { LedgerSchema1764115200000 } from './1764115200000-ledger-schema.migration';
import { ApiKeys1764288000000 } from './1764288000000-api-keys.migration';
import { InboxDigestOnDemand1764547200000 } from './1764547200000-inbox-digest-on-demand.migration';
import { InboxEntryRange1764806400000 } from './1764806400000-inbox-entry-range.migration';
import { RatioCapsOutOfForce1765065600000 } from './1765065600000-ratio-caps-out-of-force.migration';
import { TwoClocks1765152000000 } from './1765152000000-two-clocks.migration';
import { PublisherKeys1765238400000 } from './1765238400000-publisher-keys.migration';
import { Licences1765324800000 } from './1765324800000-licences.migration';
import { MerkleTree1765497600000 } from './1765497600000-merkle-tree.migration';
import { LeastPrivilegeRoles1765584000000 } from './1765584000000-least-privilege-roles.migration';
import { LateEntries1765670400000 } from './1765670400000-late-entries.migration';

// Listed explicitly (no glob): the compiled set of migrations is exactly what this array says.
export const LEDGER_MIGRATIONS = [
  LedgerSchema1764115200000,
  ApiKeys1764288000000,
  InboxDigestOnDemand1764547200000,
  InboxEntryRange1764806400000,
  RatioCapsOutOfForce1765065600000,
  TwoClocks1765152000000,
  PublisherKeys1765238400000,
  Licences1765324800000,
  MerkleTree1765497600000,
  LeastPrivilegeRoles1765584000000,
  LateEntries1765670400000,
] as const;
