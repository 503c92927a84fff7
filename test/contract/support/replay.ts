// Runs the built CLI's `replay` on NDJSON written from the given events (objects are JSON.stringify'd; strings are
// written as they are, for lines whose bytes matter) and hands back its exit status and parsed document, with the
// lookups the cases need. The CLI is a black box here: only its printed document is read.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Event, TestKey } from './keys';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

export interface Account {
  account: string;
  usedTpp: number;
  capTpp: number | null;
  utilization: number | null;
}
export interface Alert {
  kind: string;
  severity: string;
  account: string;
  threshold: number | null;
  usedTpp: number;
  capTpp: number | null;
  utilization: number | null;
  causedBy: { publisher: string; eventId: string };
  policy: { id: string; version: string };
  at: string;
  alertId: string;
}
export interface Rejection {
  line: number;
  publisher?: string;
  eventId?: string;
  code: string;
  message: string;
}
export interface ReplayDocument {
  policy: Record<string, unknown>;
  accounts: Account[];
  alerts: Alert[];
  rejected: Rejection[];
  counts: { read: number; recorded: number; duplicates: number; rejected: number };
}

export interface ReplayResult {
  status: number;
  stdout: string;
  stderr: string;
  doc: ReplayDocument;
  /** The account, or undefined when the document does not list it. */
  account(id: string): Account | undefined;
  /** usedTpp of the account, 0 when it is not listed. */
  used(id: string): number;
  alertsOn(id: string): Alert[];
  /** "KIND account [threshold]" of every alert, in the order raised (the threshold only for THRESHOLD_CROSSED). */
  alertSummary(): string[];
  /** [line, code] of every rejection. */
  rejections(): Array<[number, string]>;
}

export interface ReplayOptions {
  pack?: string;
  timeline?: string;
  requireSignatures?: boolean;
  trustedKeys?: TestKey[];
  extraArgs?: string[];
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'contract-replay-'));
}

export function argsFor(file: string, dir: string, o: ReplayOptions): string[] {
  const args = [CLI, 'replay', file];
  if (o.pack !== undefined) args.push('--pack', o.pack);
  if (o.timeline !== undefined) args.push('--timeline', o.timeline);
  if (o.requireSignatures === true) args.push('--require-signatures');
  if (o.trustedKeys !== undefined) {
    const keysFile = path.join(dir, 'trusted-keys.json');
    fs.writeFileSync(keysFile, JSON.stringify(o.trustedKeys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }))));
    args.push('--trusted-keys', keysFile);
  }
  return [...args, ...(o.extraArgs ?? [])];
}

/** Runs the CLI with raw arguments (file written from `lines`); for exit-status cases. */
export async function runCli(lines: Array<Event | string>, o: ReplayOptions = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const dir = tempDir();
  const file = path.join(dir, 'events.ndjson');
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  try {
    const { stdout, stderr } = await run(process.execPath, argsFor(file, dir, o), { maxBuffer: 64 * 1024 * 1024 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function replay(lines: Array<Event | string>, o: ReplayOptions = {}): Promise<ReplayResult> {
  const { status, stdout, stderr } = await runCli(lines, o);
  if (status !== 0) throw new Error(`replay exited ${status}: ${stderr.slice(0, 2000)}`);
  const doc = JSON.parse(stdout) as ReplayDocument;
  return {
    status,
    stdout,
    stderr,
    doc,
    account: (id) => doc.accounts.find((a) => a.account === id),
    used: (id) => doc.accounts.find((a) => a.account === id)?.usedTpp ?? 0,
    alertsOn: (id) => doc.alerts.filter((a) => a.account === id),
    alertSummary: () => doc.alerts.map((a) => `${a.kind} ${a.account}${a.kind === 'THRESHOLD_CROSSED' ? ` ${a.threshold}` : ''}`),
    rejections: () => doc.rejected.map((r) => [r.line, r.code]),
  };
}
