// The signed half of `npm run bench`: the same end-to-end throughput run with signatures required. Its own database
// and consumer group, a ledger started with SIGNATURES=required and the bench's regulator key as its trust anchor;
// the publishers' keys are registered (and recorded) first, then the feed, each event signed by its publisher, is
// published and timed exactly as the unsigned run. Also measured in this process: the CPU one Ed25519
// verification takes (the work the ledger's verifier threads do per event).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Admin } from 'kafkajs';
import { canonicalUnsignedJson } from '@app/contracts';
import { generateEd25519KeyPair, privateKeyObject, signEvent, verifyEd25519, type Ed25519KeyPair } from '@app/policy';
import { cli, createLedgerDatabase, randomPort, startAtEndOfTopics, startService, waitFor, type LedgerDatabase, type ServiceProcess } from '@app/testing';
import type { CpuUse } from './process-cpu';

export interface ThroughputFigures {
  eventsPerS: number;
  seconds: number;
  publishSeconds: number;
  publisherStartupS: number;
  cpu: CpuUse | null;
}

type Throughput = (db: LedgerDatabase, admin: Admin, groupId: string, file: string) => Promise<ThroughputFigures>;

const VERIFY_SAMPLE_EVENTS = 5_000;

// Signs each line with a key of its publisher (made here), and writes the regulator's registrations of those keys.
function signFeed(lines: readonly string[], dir: string): { signed: string[]; registrations: string[]; trustedKeysFile: string } {
  const keys = new Map<string, Ed25519KeyPair & { keyId: string }>();
  const keyOf = (publisher: string) => {
    let k = keys.get(publisher);
    if (k === undefined) keys.set(publisher, (k = { ...generateEd25519KeyPair(), keyId: `${publisher}/bench` }));
    return k;
  };
  const regulator = keyOf('regulator');
  const privateKeys = new Map<string, ReturnType<typeof privateKeyObject>>();
  const sign = (doc: Record<string, unknown>) => {
    const k = keyOf(doc['publisher'] as string);
    let pk = privateKeys.get(k.keyId);
    if (pk === undefined) privateKeys.set(k.keyId, (pk = privateKeyObject(k.privateKeyPem)));
    return JSON.stringify(signEvent(doc, k.keyId, pk));
  };
  const signed = lines.map((line) => {
    try {
      const doc = JSON.parse(line) as Record<string, unknown>;
      return typeof doc['publisher'] === 'string' ? sign(doc) : line;
    } catch {
      return line;
    }
  });
  const registrations = [...keys.values()]
    .filter((k) => k !== regulator)
    .map((k, i) => sign({ type: 'policy.publisher-key-registered', version: 1, eventId: `bench-key-${i}-${Date.now()}`, publisher: 'regulator', occurredAt: '2026-01-01T00:00:00Z', key: { keyId: k.keyId, publicKey: k.publicKey } }));
  const trustedKeysFile = path.join(dir, 'trusted-keys.json');
  fs.writeFileSync(trustedKeysFile, JSON.stringify([{ keyId: regulator.keyId, publicKey: regulator.publicKey }]));
  return { signed, registrations, trustedKeysFile };
}

// CPU microseconds of one verification on this thread, over a sample of the signed feed.
function verifyCpuUsPerEvent(signed: readonly string[]): number {
  const sample = signed.slice(0, VERIFY_SAMPLE_EVENTS).flatMap((line) => {
    try {
      const doc = JSON.parse(line) as Record<string, any>;
      return typeof doc['signature']?.value === 'string' ? [doc] : [];
    } catch {
      return []; // the feed's deliberately broken lines
    }
  });
  const texts = sample.map((d) => canonicalUnsignedJson(d));
  // The public key is not in the event; verifying against a fixed key costs the same as against the right one.
  const key = generateEd25519KeyPair().publicKey;
  const start = process.cpuUsage();
  for (let i = 0; i < sample.length; i++) verifyEd25519(texts[i]!, sample[i]!['signature'].value, key);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / Math.max(1, sample.length);
}

export async function signedThroughput(admin: Admin, lines: readonly string[], tmp: string, batchSizeMax: number, throughput: Throughput) {
  const { signed, registrations, trustedKeysFile } = signFeed(lines, tmp);
  const verifyUs = verifyCpuUsPerEvent(signed);
  const file = path.join(tmp, 'signed.ndjson');
  fs.writeFileSync(file, `${signed.join('\n')}\n`);
  const keysFile = path.join(tmp, 'registrations.ndjson');
  fs.writeFileSync(keysFile, `${registrations.join('\n')}\n`);

  const db = await createLedgerDatabase('ledger_bench_signed');
  const services: ServiceProcess[] = [];
  try {
    const groupId = `ledger_bench_signed_${process.pid}_${Date.now()}`;
    await startAtEndOfTopics(admin, db.ds, groupId);
    const env = { DATABASE_URL: db.urlAs('ledger_writer'), LEDGER_GROUP_ID: groupId, LOG_LEVEL: 'error', LEDGER_BATCH_SIZE_MAX: String(batchSizeMax) };
    const port = randomPort();
    services.push(startService('ledger', { ...env, SIGNATURES: 'required', TRUSTED_KEYS_FILE: trustedKeysFile, LEDGER_HTTP_PORT: String(port) }));
    services.push(startService('relay', { ...env, DATABASE_URL: db.urlAs('ledger_relay'), RELAY_HTTP_PORT: String(randomPort()) }));
    await waitFor(() => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok), { timeoutMs: 60_000, intervalMs: 200, what: 'the signing ledger to start' });
    const published = await cli(['publish', keysFile]);
    if (published.code !== 0) throw new Error(`publish of the key registrations failed: ${published.stderr}`);
    await waitFor(async () => (await db.ds.query(`SELECT count(*)::int AS n FROM publisher_keys`))[0].n === registrations.length, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the ledger to record the key registrations',
    });
    await db.ds.query('CHECKPOINT').catch(() => undefined);
    const figures = await throughput(db, admin, groupId, file);
    const [{ n }] = (await db.ds.query(`SELECT count(*)::int AS n FROM inbox`)) as Array<{ n: number }>;
    // The events of the feed recorded (the key registrations left out): the same number as the unsigned run's, or a
    // signature was refused.
    return { figures, verifyCpuUsPerEvent: Math.round(verifyUs * 10) / 10, verifierThreads: os.availableParallelism(), recorded: n - registrations.length };
  } finally {
    for (const s of services.reverse()) await s.stop();
    await db.close();
  }
}

// The report's `signatures` section: the two runs side by side.
export function signaturesReport(
  unsigned: ThroughputFigures,
  signed: Awaited<ReturnType<typeof signedThroughput>>,
  recordedUnsigned: number,
  cpuPerEvent: (cpu: CpuUse) => Record<string, number>,
): Record<string, unknown> {
  return {
    optionalUnsignedEventsPerS: Math.round(unsigned.eventsPerS),
    requiredSignedEventsPerS: Math.round(signed.figures.eventsPerS),
    ratio: Math.round((signed.figures.eventsPerS / unsigned.eventsPerS) * 1000) / 1000,
    targetRatio: 0.5,
    // Recorded events of the feed in each run: equal, or a signature was refused.
    recorded: { optional: recordedUnsigned, required: signed.recorded },
    // One Ed25519 verification on one thread of this machine, and the verifier threads the ledger ran.
    verifyCpuUsPerEvent: signed.verifyCpuUsPerEvent,
    verifierThreads: signed.verifierThreads,
    // All CPU per event (every process) in each run: the difference is what signatures cost the system.
    cpuPerEventUs: {
      optional: unsigned.cpu === null ? null : cpuPerEvent(unsigned.cpu),
      required: signed.figures.cpu === null ? null : cpuPerEvent(signed.figures.cpu),
    },
  };
}
