// The built `ledger` CLI as a child process, and the generated feed the specs and benchmarks judge.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { generateFeed as feedLines } from './feed-generator';

const run = promisify(execFile);
// The repository root, from dist/libs/testing/src.
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 512 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

// The lines `ledger generate --events N --seed S` prints (the same generator and defaults), made in this process.
export async function generateFeed(events: number, seed: number): Promise<string[]> {
  return [...feedLines({ events, seed, startMs: Date.parse('2025-02-01T00:00:00Z'), days: 880, invalidRate: 0.004 })];
}
