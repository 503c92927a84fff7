// `ledger diff FILE (--pack ID | --timeline ID) (--pack ID | --timeline ID) [--table]`: judges the file's events
// under two packs or timelines (any two: pack and pack, timeline and timeline, or one of each) with the services'
// code, and prints what differs: the events judged differently (alerts raised under one only, accounts moved by
// another amount or against another cap, rejections that differ) and the accounts whose balance or cap differ at
// the end. JSON by default; --table prints the same as a readable table. Exit 0 when the file was read (differences
// are results), 2 on a usage error or an unreadable file.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { forEachLine, stringifyJson } from '@app/contracts';
import { parseProblem } from '../support/command-args';
import { JudgementDiffer, loadPolicyPack, loadPolicyTimeline, type JudgementDiff, type PolicyPack } from '@app/policy';

const USAGE = 'usage: ledger diff FILE.ndjson (--pack ID | --timeline ID) (--pack ID | --timeline ID) [--table]';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

// node:util parseArgs in strict mode, as every command; its tokens keep the order of --pack and --timeline (A, then B).
function parse(argv: string[], io: Io): { file: string; sides: PolicyPack[]; table: boolean } | 'help' | null {
  const sides: PolicyPack[] = [];
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { pack: { type: 'string', multiple: true }, timeline: { type: 'string', multiple: true }, table: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (e) {
    io.stderr.write(`ledger diff: ${parseProblem(e as NodeJS.ErrnoException, ['pack', 'timeline', 'table'])}\n${USAGE}\n`);
    return null;
  }
  const { values, positionals, tokens } = parsed;
  try {
    if (values.help === true) return 'help';
    for (const t of tokens) {
      if (t.kind !== 'option' || (t.name !== 'pack' && t.name !== 'timeline')) continue;
      sides.push(t.name === 'pack' ? loadPolicyPack(t.value ?? '') : loadPolicyTimeline(t.value ?? ''));
    }
    if (positionals.length !== 1 || sides.length !== 2) throw new Error(positionals.length !== 1 ? 'name one FILE' : 'name exactly two packs or timelines');
    return { file: positionals[0]!, sides, table: values.table === true };
  } catch (e) {
    io.stderr.write(`ledger diff: ${(e as Error).message.split('\n')[0]}\n${USAGE}\n`);
    return null;
  }
}

export async function run(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const args = parse(argv, io);
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args === null) return 2;
  const differ = new JudgementDiffer(args.sides[0]!, args.sides[1]!);
  try {
    if (!fs.statSync(args.file).isFile() && args.file !== '/dev/stdin') throw new Error('not a regular file');
    await forEachLine(args.file === '/dev/stdin' ? 0 : args.file, (line, lineNumber) => differ.push(line, lineNumber));
  } catch (e) {
    io.stderr.write(`ledger diff: cannot read ${args.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const result = differ.result();
  io.stdout.write(args.table ? diffTable(result) : `${stringifyJson(result)}\n`);
  return 0;
}

const label = (p: JudgementDiff['a']): string => `${p.timeline === undefined ? 'pack' : 'timeline'} ${p.id} ${p.version}`;
const amount = (v: bigint | null): string => (v === null ? '-' : v.toLocaleString('en-US'));

export function diffTable(d: JudgementDiff): string {
  const out: string[] = [`A = ${label(d.a)}`, `B = ${label(d.b)}`, ''];
  out.push(`events judged differently: ${d.counts.judgedDifferently} of ${d.counts.read}${d.eventsLeftOut > 0 ? ` (${d.eventsLeftOut} not listed)` : ''}`);
  const rows: string[][] = [['line', 'event', 'A', 'B', 'judged under (A / B)']];
  for (const e of d.events) {
    const ev = `${e.publisher ?? '?'}/${e.eventId ?? '?'}`;
    const packs = `${e.packA?.id ?? '-'} / ${e.packB?.id ?? '-'}`;
    if (e.a !== e.b) rows.push([String(e.line), ev, e.a, e.b, packs]);
    for (const k of e.alertsOnlyA) rows.push([String(e.line), ev, k, '-', packs]);
    for (const k of e.alertsOnlyB) rows.push([String(e.line), ev, '-', k, packs]);
    for (const m of e.accounts) {
      const side = (s: typeof m.a) => (s === null ? '-' : `${m.account} ${s.deltaTpp >= 0n ? '+' : ''}${amount(s.deltaTpp)} cap ${amount(s.capTpp)}`);
      rows.push([String(e.line), ev, side(m.a), side(m.b), packs]);
    }
  }
  out.push(...columns(rows), '', `accounts that differ at the end: ${d.counts.accountsDiffering}`);
  const acc: string[][] = [['account', 'A used', 'A cap', 'B used', 'B cap']];
  for (const a of d.accounts) acc.push([a.account, amount(a.a?.usedTpp ?? null), amount(a.a?.capTpp ?? null), amount(a.b?.usedTpp ?? null), amount(a.b?.capTpp ?? null)]);
  out.push(...columns(acc), '');
  return out.join('\n');
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}
