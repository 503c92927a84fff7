// Creates an API key for the read API and prints it once (only its SHA-256 is stored).
//
//   node dist/apps/api/src/create-api-key.js --role regulator [--label "BIS analyst"]
//   node dist/apps/api/src/create-api-key.js --role chipmaker --org nvidia
//   node dist/apps/api/src/create-api-key.js --role cloud-provider --org aws
//   node dist/apps/api/src/create-api-key.js --role regulator --key demo-regulator-key   (a chosen key, for demos)
//
// Uses DATABASE_URL (libs/config); the api_keys table comes from the migrations (`npm run -s ledger -- migrate`).
// With --key the command is idempotent: a key that already exists is left as it is.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadDatabaseSettings, pgPoolConfig, settingsOrExit } from '@app/config';
import { Client } from 'pg';
import { hashApiKey, newApiKey, newApiKeyId } from './auth/api-key';
import { ROLES, type Role } from './auth/principal';

const USAGE = 'usage: create-api-key --role regulator|chipmaker|cloud-provider [--org ORG] [--label TEXT] [--key KEY]\n';

function fail(message: string, code = 2): never {
  process.stderr.write(`create-api-key: ${message}\n${code === 2 ? USAGE : ''}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: { role?: string; org?: string; label?: string; key?: string };
  try {
    ({ values } = parseArgs({
      options: { role: { type: 'string' }, org: { type: 'string' }, label: { type: 'string' }, key: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) fail('--role must be regulator, chipmaker or cloud-provider');
  const org = values.org ?? null;
  if (role !== 'regulator' && org === null) fail(`--org is required for a ${role} key (its publisher name or VEU id)`);
  if (org !== null && !/^[A-Za-z0-9._-]{1,128}$/.test(org)) fail('--org must be 1-128 of [A-Za-z0-9._-]');
  if (values.key !== undefined && (values.key.length < 8 || values.key.length > 200)) fail('--key must be 8..200 characters');

  const database = settingsOrExit(() => loadDatabaseSettings());
  const { max: _max, ...clientConfig } = pgPoolConfig({ database });
  const client = new Client(clientConfig);
  await client.connect();
  try {
    const key = values.key ?? newApiKey();
    const id = newApiKeyId();
    const result = await client.query<{ id: string }>(
      `INSERT INTO api_keys (id, key_hash, role, org, label) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key_hash) DO NOTHING RETURNING id`,
      [id, hashApiKey(key), role, org, values.label ?? ''],
    );
    if (result.rowCount === 0) {
      process.stderr.write('create-api-key: this key already exists; left unchanged\n');
      return;
    }
    process.stdout.write(`${JSON.stringify({ id, role, org, key })}\n`);
    process.stderr.write('create-api-key: store the key now; it is not shown again (only its SHA-256 is kept)\n');
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') fail('table api_keys is missing: run the migrations first (npm run -s ledger -- migrate)', 1);
    throw error;
  } finally {
    await client.end();
  }
}

main().catch((error: Error) => fail(error.message, 1));
