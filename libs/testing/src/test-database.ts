import { Client } from 'pg';
import { loadDatabaseSettings, pgPoolConfig } from '@app/config';
import { uniqueName } from './unique-name';

// The ledger's least-privilege roles (scripts/pg.sh makes them): the owner runs the migrations, each service
// connects as its own role.
export type LedgerRole = 'ledger_owner' | 'ledger_writer' | 'ledger_reader' | 'ledger_relay';

export interface TestDatabase {
  // As the server's superuser: for set-up and for specs that play an attacker with every power.
  url: string;
  name: string;
  urlAs(role: LedgerRole): string;
  drop(): Promise<void>;
}

const LEDGER_ROLES: readonly string[] = ['ledger_owner', 'ledger_writer', 'ledger_reader', 'ledger_relay'];

// The server of DATABASE_URL (default: the local Postgres of scripts/pg.sh), with another database name; as `role`,
// or else as the server's superuser (creating databases needs one: the ledger's own roles may not).
function urlFor(database: string, role?: LedgerRole): string {
  const url = new URL(loadDatabaseSettings().url);
  url.pathname = `/${database}`;
  if (role) {
    url.username = role;
    url.password = '';
  } else if (LEDGER_ROLES.includes(url.username)) {
    url.username = 'postgres';
    url.password = '';
  }
  return url.toString();
}

async function onServer(sql: string): Promise<void> {
  const { ssl } = pgPoolConfig({ database: loadDatabaseSettings() });
  const client = new Client({ connectionString: urlFor('postgres'), ssl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// A new empty database for one spec. Close your pools before drop(); it also ends connections left open, so a
// failing spec cannot leave the database behind.
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await onServer(`create database ${name} owner ledger_owner`);
  return {
    name,
    url: urlFor(name),
    urlAs: (role) => urlFor(name, role),
    drop: () => onServer(`drop database if exists ${name} with (force)`),
  };
}

// One connection to `db` as `role` (or as the superuser, 'postgres') for `work`, closed after it: how the roles specs
// act as each service's credentials would.
export async function asRole<T>(db: TestDatabase, role: LedgerRole | 'postgres', work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: role === 'postgres' ? db.url : db.urlAs(role) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
