// The words of the commands that judge (replay, rejudge): `--pack PACK_ID` (or `--pack=PACK_ID`),
// `--require-signatures`, `--trusted-keys FILE` (or `--trusted-keys=FILE`), `-h`/`--help`, and up to
// `positionalMax` other words that do not start with `--`.
import * as fs from 'node:fs';
import { loadPolicyPack, parseTrustAnchors, type Authenticity, type PolicyPack } from '@app/policy';

export type JudgingArgs = { help: true } | { help: false; pack: PolicyPack; authenticity: Authenticity; positional: string[] };

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

// The arguments, or null once `io.stderr` has been told what is wrong with them (a usage error: exit 2). `-h` prints
// the usage on stdout. An unknown pack is a usage error too.
export function judgingArgs(command: string, argv: readonly string[], o: { usage: string; positionalMax: number; defaultPack: string; io: Io }): JudgingArgs | null {
  let packId = o.defaultPack;
  let required = false;
  let trustedKeysFile: string | null = null;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--pack') packId = argv[++i] ?? '';
    else if (arg.startsWith('--pack=')) packId = arg.slice('--pack='.length);
    else if (arg === '--require-signatures') required = true;
    else if (arg === '--trusted-keys') trustedKeysFile = argv[++i] ?? '';
    else if (arg.startsWith('--trusted-keys=')) trustedKeysFile = arg.slice('--trusted-keys='.length);
    else if (arg === '-h' || arg === '--help') {
      o.io.stdout.write(`${o.usage}\n`);
      return { help: true };
    } else if (positional.length < o.positionalMax && !arg.startsWith('--')) positional.push(arg);
    else {
      o.io.stderr.write(`ledger ${command}: unexpected argument "${arg}"\n${o.usage}\n`);
      return null;
    }
  }
  try {
    const trustAnchors = trustedKeysFile === null ? new Map<string, string>() : parseTrustAnchors(readTrustedKeys(trustedKeysFile));
    return { help: false, pack: loadPolicyPack(packId), authenticity: { enforcement: required ? 'required' : 'optional', trustAnchors }, positional };
  } catch (e) {
    o.io.stderr.write(`ledger ${command}: ${(e as Error).message}\n`);
    return null;
  }
}

function readTrustedKeys(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the trusted keys ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}
