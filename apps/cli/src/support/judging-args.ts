// The words of the commands that judge (replay, rejudge): `--pack PACK_ID` (or `--pack=PACK_ID`), `--timeline ID`
// (each event judged by the pack in force at its occurredAt; not with --pack), `-h`/`--help`, and up to
// `positionalMax` other words that do not start with `--`.
import { loadJudgingPolicy, type PolicyPack } from '@app/policy';

export type JudgingArgs = { help: true } | { help: false; pack: PolicyPack; positional: string[] };

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

// The arguments, or null once `io.stderr` has been told what is wrong with them (a usage error: exit 2). `-h` prints
// the usage on stdout. An unknown pack is a usage error too.
export function judgingArgs(
  command: string,
  argv: readonly string[],
  o: { usage: string; positionalMax: number; defaultPack: string; defaultTimeline?: string | null; io: Io },
): JudgingArgs | null {
  let packId: string | null = null;
  let timelineId: string | null = null;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--pack') packId = argv[++i] ?? '';
    else if (arg.startsWith('--pack=')) packId = arg.slice('--pack='.length);
    else if (arg === '--timeline') timelineId = argv[++i] ?? '';
    else if (arg.startsWith('--timeline=')) timelineId = arg.slice('--timeline='.length);
    else if (arg === '-h' || arg === '--help') {
      o.io.stdout.write(`${o.usage}\n`);
      return { help: true };
    } else if (positional.length < o.positionalMax && !arg.startsWith('--')) positional.push(arg);
    else {
      o.io.stderr.write(`ledger ${command}: unexpected argument "${arg}"\n${o.usage}\n`);
      return null;
    }
  }
  if (packId !== null && timelineId !== null) {
    o.io.stderr.write(`ledger ${command}: give --pack or --timeline, not both\n${o.usage}\n`);
    return null;
  }
  // Neither flag: the default (for rejudge, the ledger's own setting: a timeline when it judges with one).
  if (packId === null && timelineId === null) timelineId = o.defaultTimeline ?? null;
  try {
    return { help: false, pack: loadJudgingPolicy({ pack: packId ?? o.defaultPack, timeline: timelineId }), positional };
  } catch (e) {
    o.io.stderr.write(`ledger ${command}: ${(e as Error).message}\n`);
    return null;
  }
}
