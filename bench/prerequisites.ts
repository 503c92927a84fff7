// What a benchmark needs before it starts: Postgres, and Kafka for the end-to-end one. `npm run bench` starts them
// first (scripts/bench.sh, as the test command does); this check is for a benchmark run on its own (`node dist/bench/
// ...`) or a service that could not be started: it stops at once with one line saying what to start, instead of a
// stack trace from the first client that tried.
import * as net from 'node:net';
import { Client } from 'pg';
import { loadDatabaseSettings, loadKafkaSettings, pgPoolConfig } from '@app/config';

const CONNECT_TIMEOUT_MS = 3_000;

function answers(hostPort: string): Promise<boolean> {
  const at = hostPort.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostPort.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(at + 1)) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// The server of DATABASE_URL, through its `postgres` database: the benchmarks make databases of their own there.
async function postgresProblem(): Promise<string | null> {
  const database = loadDatabaseSettings();
  const server = new URL(database.url);
  server.pathname = '/postgres';
  const { max: _max, ...config } = pgPoolConfig({ database: { ...database, url: server.toString() } });
  const client = new Client({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    return null;
  } catch (e) {
    return `PostgreSQL is not reachable at ${server.host} (${(e as Error).message}); start it: bash scripts/pg.sh start`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function kafkaProblem(): Promise<string | null> {
  const { brokers } = loadKafkaSettings();
  const reachable = await Promise.all(brokers.map(answers));
  if (reachable.some((ok) => ok)) return null;
  return `Kafka is not answering at ${brokers.join(', ')}; start it: bash scripts/kafka.sh start`;
}

// Resolves when everything needed answers; otherwise writes one line on stderr and exits 1.
export async function benchPrerequisites(needs: { kafka: boolean }): Promise<void> {
  const problems = (await Promise.all([postgresProblem(), needs.kafka ? kafkaProblem() : null])).filter((p) => p !== null);
  if (problems.length === 0) return;
  process.stderr.write(`bench: ${problems.join('; ')}\n`);
  process.exit(1);
}
