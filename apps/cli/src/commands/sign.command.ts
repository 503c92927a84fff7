// `ledger sign FILE.ndjson --keys KEYFILE|DIR`: writes the file's events to stdout, each signed with the key of its
// publisher (Ed25519 over the RFC 8785 form without `signature`; docs/signatures.md). A line that is not a JSON
// object, or whose publisher has no key, is an error naming the line (exit 1); blank lines are left out. Exit 2 on a
// usage error.
import { forEachLine } from '@app/contracts';
import { parseCommandArgs, UsageError } from '../support/command-args';
import { readSigningKeys, signLine } from '../support/signing-keys';

const USAGE = 'usage: ledger sign FILE.ndjson --keys KEYFILE|DIR';
const SPEC = { name: 'sign', usage: USAGE, flags: { keys: { type: 'string' } }, positionals: ['FILE'], positionalsMin: 1 } as const;

export async function run(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  const { flags, positionals } = parseCommandArgs(SPEC, argv);
  const file = positionals[0]!;
  if (flags.keys === undefined) throw new UsageError(SPEC.name, 'missing --keys', USAGE);
  const keysPath = flags.keys;
  let keys;
  try {
    keys = readSigningKeys(keysPath);
  } catch (e) {
    throw new UsageError(SPEC.name, (e as Error).message, USAGE);
  }
  const out: string[] = [];
  let failed: string | null = null;
  try {
    await forEachLine(file, (line, lineNumber) => {
      if (failed !== null) return;
      const text = typeof line === 'string' ? line : line.toString('utf8');
      if (text.trim() === '') return;
      const signed = signLine(text, keys);
      if (signed === null) failed = `line ${lineNumber}: not a JSON event whose publisher has a key in ${keysPath}`;
      else out.push(signed);
    });
  } catch (e) {
    io.stderr.write(`ledger sign: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  if (failed !== null) {
    io.stderr.write(`ledger sign: ${failed}\n`);
    return 1;
  }
  await new Promise<void>((resolve, reject) => io.stdout.write(out.length === 0 ? '' : `${out.join('\n')}\n`, (err) => (err ? reject(err) : resolve())));
  return 0;
}
