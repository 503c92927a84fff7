// `ledger schemas [DIR]`: writes the published JSON Schemas (one file per event type) from the schema objects the
// validator compiles. The files in libs/contracts/schemas/ come from this command and a test checks they are up
// to date, so producers in other languages always get the schemas the ledger enforces.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { publishedSchemaFiles } from '@app/contracts';
import { parseCommandArgs } from '../support/command-args';

const SPEC = { name: 'schemas', usage: 'usage: ledger schemas [DIR]', flags: {}, positionals: ['DIR'] } as const;

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(SPEC, argv);
  const dir = positionals[0] ?? path.resolve(__dirname, '../../../../../libs/contracts/schemas');
  fs.mkdirSync(dir, { recursive: true });
  const files = publishedSchemaFiles();
  for (const f of files) fs.writeFileSync(path.join(dir, f.name), f.text);
  process.stdout.write(`wrote ${files.length} schemas to ${dir}\n`);
  return 0;
}
