// `ledger keygen --publisher P [--name NAME] [--out FILE]`: a new Ed25519 key pair for publisher P. Writes the key
// file (keyId, publicKey, privateKey as PKCS#8 PEM; mode 0600; default ./P-NAME.key.json) and prints on stdout what
// the regulator needs: for a publisher, the policy.publisher-key-registered event (unsigned: the regulator signs it,
// `ledger sign`, and publishes it); for the regulator itself, the trust-anchor entry for the ledger's trusted keys
// file (regulator keys are configuration, never events). Exit 2 on a usage error.
import * as fs from 'node:fs';
import { KEY_NAME_PATTERN, PUBLISHER_PATTERN } from '@app/contracts';
import { generateEd25519KeyPair, REGULATOR } from '@app/policy';
import { parseCommandArgs, UsageError } from '../support/command-args';
import type { KeyFile } from '../support/signing-keys';

const USAGE = 'usage: ledger keygen --publisher PUBLISHER [--name NAME] [--out FILE]';
const SPEC = {
  name: 'keygen',
  usage: USAGE,
  flags: {
    publisher: { type: 'string', pattern: new RegExp(PUBLISHER_PATTERN), expected: 'a publisher id (1-64 of [a-z0-9-])' },
    name: { type: 'string', pattern: new RegExp(`^${KEY_NAME_PATTERN}$`), expected: '1-64 of [A-Za-z0-9._-]' },
    out: { type: 'string' },
  },
} as const;

export async function run(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  const { flags } = parseCommandArgs(SPEC, argv);
  const publisher = flags.publisher;
  if (publisher === undefined) throw new UsageError(SPEC.name, 'missing --publisher', USAGE);
  const name = flags.name ?? new Date().toISOString().slice(0, 10);
  const keyId = `${publisher}/${name}`;
  const out = flags.out ?? `${publisher}-${name}.key.json`;
  const pair = generateEd25519KeyPair();
  const file: KeyFile = { keyId, publicKey: pair.publicKey, privateKey: pair.privateKeyPem };
  try {
    // 'wx': never overwrite a private key.
    fs.writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    io.stderr.write(`ledger keygen: cannot write ${out}: ${(e as Error).message}\n`);
    return 2;
  }
  io.stderr.write(`ledger keygen: private key written to ${out} (keep it secret)\n`);
  if (publisher === REGULATOR) {
    io.stdout.write(`${JSON.stringify({ keyId, publicKey: pair.publicKey })}\n`);
  } else {
    const registration = {
      type: 'policy.publisher-key-registered',
      version: 1,
      eventId: `key-${keyId.replace('/', '-')}`,
      publisher: REGULATOR,
      occurredAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      key: { keyId, publicKey: pair.publicKey },
    };
    io.stdout.write(`${JSON.stringify(registration)}\n`);
  }
  return 0;
}
