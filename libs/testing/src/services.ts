// The services (ledger, relay, api) as child processes, started from dist/ with the flags every launcher gives them.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LEDGER_NODE_FLAGS } from '@app/config';
import { ROOT } from './cli-process';

export interface ServiceProcess {
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

export type ServiceApp = 'ledger' | 'relay' | 'api';

// LEDGER_NODE_ARGS / RELAY_NODE_ARGS / API_NODE_ARGS add Node.js flags for one run (a CPU profile of the ledger in the benchmark,
// say: LEDGER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof').
function extraNodeArgs(app: ServiceApp): string[] {
  return (process.env[`${app.toUpperCase()}_NODE_ARGS`] ?? '').split(' ').filter((a) => a !== '');
}

export function startService(app: ServiceApp, env: Record<string, string>): ServiceProcess {
  // Made before the service starts: a missing directory must not leave a started service behind.
  const logDir = process.env['SERVICE_LOG_DIR'];
  if (logDir !== undefined) fs.mkdirSync(logDir, { recursive: true });
  const entry = path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  // Signatures are `required` by default outside tests; a spec or benchmark that signs its events says so in `env`.
  const defaults = { KAFKAJS_NO_PARTITIONER_WARNING: '1', ...(app === 'ledger' ? { SIGNATURES: 'optional' } : {}) };
  const child = spawn(process.execPath, [...(app === 'ledger' ? LEDGER_NODE_FLAGS : []), ...extraNodeArgs(app), entry], { env: { ...process.env, ...defaults, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  // SERVICE_LOG_DIR=DIR also writes each service's output to DIR/<app>-<pid>.log (with LEDGER_NODE_ARGS='--trace-gc',
  // say), for a look at a benchmark or a failed spec afterwards.
  const file = logDir !== undefined ? fs.createWriteStream(path.join(logDir, `${app}-${child.pid}.log`)) : null;
  // 'close', not 'exit': output can still arrive after the process exited, and a write after end() would throw.
  if (file !== null) child.once('close', () => file.end());
  const keep = (chunk: Buffer) => {
    file?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line !== '') log.push(line);
    if (log.length > 5000) log.splice(0, log.length - 5000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    log,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

// A service's figures from its /metrics, by series; a metric not shown yet is absent.
export async function serviceMetrics(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, number>();
  // Keyed by the name and, for a labelled series, its labels as printed: ledger_merkle_seconds_total{part="hash"}.
  for (const m of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

// An HTTP port for a service under test, below the range the OS takes ephemeral ports from for outgoing connections
// (Linux: 32768 and up; macOS and Windows: 49152 and up). A port from that range can be held by one of the many
// Kafka and Postgres client sockets open during a test run, and the service would then fail to listen and exit.
export function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 12_000);
}
