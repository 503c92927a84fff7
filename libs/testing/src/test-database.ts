import { Client } from 'pg';
import { loadDatabaseSettings, pgPoolConfig } from '@app/config';
import { uniqueName } from './unique-name';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

// The server of DATABASE_URL (default: the local Postgres of scripts/pg.sh), with another database name.
function urlFor(database: string): string {
  const url = new URL(loadDatabaseSettings().url);
  url.pathname = `/${database}`;
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
  await onServer(`create database ${name}`);
  return {
    name,
    url: urlFor(name),
    drop: () => onServer(`drop database if exists ${name} with (force)`),
  };
}
