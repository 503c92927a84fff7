// `ledger checkpoint-key --out FILE`: the ledger's Ed25519 checkpoint key. Writes FILE (PKCS#8 PEM, mode 0600)
// and FILE's public half beside it (FILE without .pem, plus .pub: the base64url of the 32 raw bytes) unless FILE
// exists already, in which case it is kept. Prints {"privateKeyFile","publicKeyFile","publicKey"} either way, so
// running it twice is harmless (compose runs it at every start).
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import { ed25519PrivateKeyFromPem, rawPublicKey } from '@app/transparency';
import { parseCommandArgs, UsageError } from '../support/command-args';

const SPEC = {
  name: 'checkpoint-key',
  usage: 'usage: ledger checkpoint-key --out FILE.pem',
  flags: { out: { type: 'string' } },
} as const;

export function publicKeyFileOf(privateKeyFile: string): string {
  return `${privateKeyFile.replace(/\.pem$/, '')}.pub`;
}

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseCommandArgs(SPEC, argv);
  const out = flags.out;
  if (out === undefined) throw new UsageError(SPEC.name, 'missing --out FILE.pem', SPEC.usage);
  let pem: string;
  if (fs.existsSync(out)) {
    pem = fs.readFileSync(out, 'utf8');
  } else {
    pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // wx: never overwrite a key another process wrote meanwhile.
    fs.writeFileSync(out, pem, { mode: 0o600, flag: 'wx' });
  }
  const publicKey = rawPublicKey(ed25519PrivateKeyFromPem(pem));
  const publicKeyFile = publicKeyFileOf(out);
  fs.writeFileSync(publicKeyFile, `${publicKey}\n`, { mode: 0o644 });
  process.stdout.write(`${JSON.stringify({ privateKeyFile: out, publicKeyFile, publicKey })}\n`);
  return 0;
}
