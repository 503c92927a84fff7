// `ledger sign FILE.ndjson --keys KEYFILE|DIR`: writes the file's events to stdout, each signed with the key of its
// publisher (Ed25519 over the RFC 8785 form without `signature`; docs/signatures.md). A line that is not a JSON
// object, or whose publisher has no key, is an error naming the line (exit 1); blank lines are left out. Exit 2 on a
// usage error.
import { parseArgs } from 'node:util';
import { forEachLine } from '@app/contracts';
import { readSigningKeys, signLine } from '../support/signing-keys';

const USAGE = 'usage: ledger sign FILE.ndjson --keys KEYFILE|DIR';

export async function run(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  let parsed: { values: { keys?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { keys: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr.write(`ledger sign: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0 || parsed.values.keys === undefined) {
    io.stderr.write(`ledger sign: ${file === undefined ? 'missing FILE' : extra.length > 0 ? `unexpected argument "${extra[0]}"` : 'missing --keys'}\n${USAGE}\n`);
    return 2;
  }
  let keys;
  try {
    keys = readSigningKeys(parsed.values.keys);
  } catch (e) {
    io.stderr.write(`ledger sign: ${(e as Error).message}\n`);
    return 2;
  }
  const out: string[] = [];
  let failed: string | null = null;
  try {
    await forEachLine(file, (line, lineNumber) => {
      if (failed !== null) return;
      const text = typeof line === 'string' ? line : line.toString('utf8');
      if (text.trim() === '') return;
      const signed = signLine(text, keys);
      if (signed === null) failed = `line ${lineNumber}: not a JSON event whose publisher has a key in ${parsed.values.keys}`;
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
