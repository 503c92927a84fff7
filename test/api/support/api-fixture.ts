// A real ledger for API tests: its own Postgres database with the real migrations, filled through the real
// ledger path (LedgerWriter.processBatch: decode, judge, write in one transaction), and the API app listening on
// an ephemeral port of 127.0.0.1.
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringifyJson } from '@app/contracts';
import { createDataSource, LedgerWriter, type BatchResult } from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import { rawPublicKey } from '@app/transparency';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApiApp } from '../../../apps/api/src/api-app.factory';
import { hashApiKey } from '../../../apps/api/src/auth/api-key';
import type { Role } from '../../../apps/api/src/auth/principal';

export interface ApiFixture {
  db: TestDatabase;
  dataSource: DataSource;
  writer: LedgerWriter;
  app: INestApplication;
  baseUrl: string;
  // With checkpoints: the signing key's public half (base64url raw), which the API serves at GET /checkpoints/key.
  ledgerPublicKey: string | null;
  record(events: readonly object[]): Promise<BatchResult>;
  addKey(key: string, role: Role, org?: string | null): Promise<void>;
  revokeKey(key: string): Promise<void>;
  get(path: string, key?: string | null): Promise<{ status: number; body: any; text: string }>;
  post(path: string, body: unknown, key?: string | null, contentType?: string): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

async function request(
  method: 'GET' | 'POST',
  url: string,
  key: string | null | undefined,
  body?: string,
  contentType = 'application/json',
): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text };
}

export interface ApiFixtureOptions {
  alertPollIntervalMs?: number;
  reportingDelayThresholdHours?: number;
  streamKeyRecheckIntervalMs?: number;
  streamsPerKeyMax?: number;
  // The writer signs a checkpoint each time the tree passes a multiple of this many entries (with a fresh key, whose
  // public half the API is configured with, as API_LEDGER_PUBLIC_KEY_FILE would).
  checkpointsEveryEntries?: number;
}

export async function startApiFixture(prefix: string, opts: ApiFixtureOptions = {}): Promise<ApiFixture> {
  const db = await createTestDatabase(prefix);
  // The roles as deployed: the owner runs the real migrations (`ledger migrate`) and keeps the API keys (as
  // create-api-key does), the writer records, the API reads as ledger_reader.
  const owner = createDataSource(db.urlAs('ledger_owner'), { poolSizeMax: 2, applicationName: 'api-test-owner' });
  await owner.initialize();
  await owner.runMigrations({ transaction: 'each' });
  const dataSource = createDataSource(db.urlAs('ledger_writer'), { poolSizeMax: 4, applicationName: 'api-test-writer' });
  await dataSource.initialize();
  const pack = loadPolicyPack();
  const keyPair = opts.checkpointsEveryEntries === undefined ? null : generateKeyPairSync('ed25519');
  const checkpoints =
    keyPair === null
      ? undefined
      : { origin: 'api-test', keyId: 'ledger/api-test', privateKey: keyPair.privateKey, everyEntries: opts.checkpointsEveryEntries!, everyMs: 3_600_000 };
  const keyFile = keyPair === null ? null : writePublicKeyFile(db.name, keyPair.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  const writer = new LedgerWriter(dataSource, pack, { groupId: `api-test-${db.name}`, ...(checkpoints ? { checkpoints } : {}) });
  const app = await createApiApp(
    {
      port: 0,
      database: { url: db.urlAs('ledger_reader'), ssl: false, poolSizeMax: 10 },
      policyPack: pack.id,
      policyTimeline: null,
      alertPollIntervalMs: opts.alertPollIntervalMs ?? 200,
      statementTimeoutMs: 10_000,
      reportingDelayThresholdHours: opts.reportingDelayThresholdHours ?? 72,
      ...(opts.streamKeyRecheckIntervalMs !== undefined ? { streamKeyRecheckIntervalMs: opts.streamKeyRecheckIntervalMs } : {}),
      ...(opts.streamsPerKeyMax !== undefined ? { streamsPerKeyMax: opts.streamsPerKeyMax } : {}),
      ledgerPublicKeyFile: keyFile,
    },
    'error',
  );
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    db,
    dataSource,
    writer,
    app,
    baseUrl,
    ledgerPublicKey: keyPair === null ? null : rawPublicKey(keyPair.publicKey),
    record: (events) =>
      writer.processBatch(
        events.map((e) => ({ topic: null, partition: null, offset: null, key: null, value: Buffer.from(stringifyJson(e)) })),
      ),
    addKey: async (key, role, org = null) => {
      await owner.query('INSERT INTO api_keys (id, key_hash, role, org, label) VALUES ($1, $2, $3, $4, $5)', [
        `key_${hashApiKey(key).slice(0, 12)}`,
        hashApiKey(key),
        role,
        org,
        'test',
      ]);
    },
    revokeKey: async (key) => {
      await owner.query('UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1', [hashApiKey(key)]);
    },
    get: (path, key) => request('GET', `${baseUrl}${path}`, key),
    post: (path, body, key, contentType) =>
      request('POST', `${baseUrl}${path}`, key, typeof body === 'string' ? body : JSON.stringify(body), contentType),
    close: async () => {
      await app.close();
      await dataSource.destroy();
      await owner.destroy();
      await db.drop();
      if (keyFile !== null) fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
    },
  };
}

function writePublicKeyFile(dbName: string, pem: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `${dbName}-key-`)), 'ledger-checkpoint.pub');
  fs.writeFileSync(file, pem);
  return file;
}

// Event builders with the contract's shapes; each call gets a distinct eventId unless one is given.
let counter = 0;
const nextId = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export function shipment(o: {
  country: string;
  quantity: number;
  chip?: string;
  at: string;
  publisher?: string;
  kind?: 'LICENSE' | 'LPP' | 'NVEU' | 'UVEU' | 'NONE';
  ref?: string;
  consignee?: string;
  eventId?: string;
}): object {
  return {
    type: 'chip.shipment',
    version: 1,
    eventId: o.eventId ?? nextId('ship'),
    publisher: o.publisher ?? 'nvidia',
    occurredAt: o.at,
    consignee: { id: o.consignee ?? 'acme-ai', country: o.country },
    authorization: o.ref ? { kind: o.kind ?? 'LICENSE', ref: o.ref } : { kind: o.kind ?? 'LICENSE', ref: 'D123456' },
    items: [{ chip: o.chip ?? 'H100-SXM', quantity: o.quantity }],
  };
}

export function veuGrant(o: { id: string; kind: 'NVEU' | 'UVEU'; headquarters?: string; country?: string; at: string }): object {
  const veu =
    o.kind === 'UVEU' ? { kind: 'UVEU', id: o.id, headquarters: o.headquarters ?? 'US' } : { kind: 'NVEU', id: o.id, headquarters: o.headquarters ?? o.country, country: o.country };
  return { type: 'policy.veu-granted', version: 1, eventId: nextId('grant'), publisher: 'regulator', occurredAt: o.at, veu };
}

export function deployment(o: {
  veuId: string;
  kind?: 'NVEU' | 'UVEU';
  dc: string;
  country: string;
  quantity: number;
  chip?: string;
  at: string;
  action?: 'INSTALL' | 'REMOVE';
  publisher?: string;
}): object {
  return {
    type: 'dc.deployment',
    version: 1,
    eventId: nextId('dep'),
    publisher: o.publisher ?? o.veuId,
    occurredAt: o.at,
    veu: { kind: o.kind ?? 'UVEU', id: o.veuId },
    dataCenter: { id: o.dc, country: o.country },
    action: o.action ?? 'INSTALL',
    items: [{ chip: o.chip ?? 'B200', quantity: o.quantity }],
  };
}
