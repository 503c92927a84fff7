// The words of the commands that judge (replay, rejudge): `--pack PACK_ID` (or `--pack=PACK_ID`), `--licences
// verify-if-known|registered-only` (or `--licences=...`; docs/licences.md), `-h`/`--help`, and up to `positionalMax`
// other words that do not start with `--`.
import { isLicenceSetting, LICENCE_SETTINGS, loadPolicyPack, withLicenceSetting, type LicenceSetting, type PolicyPack } from '@app/policy';

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
  o: { usage: string; positionalMax: number; defaultPack: string; defaultLicences?: string; io: Io },
): JudgingArgs | null {
  let packId = o.defaultPack;
  let licences: string = o.defaultLicences ?? 'verify-if-known';
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--pack') packId = argv[++i] ?? '';
    else if (arg.startsWith('--pack=')) packId = arg.slice('--pack='.length);
    else if (arg === '--licences') licences = argv[++i] ?? '';
    else if (arg.startsWith('--licences=')) licences = arg.slice('--licences='.length);
    else if (arg === '-h' || arg === '--help') {
      o.io.stdout.write(`${o.usage}\n`);
      return { help: true };
    } else if (positional.length < o.positionalMax && !arg.startsWith('--')) positional.push(arg);
    else {
      o.io.stderr.write(`ledger ${command}: unexpected argument "${arg}"\n${o.usage}\n`);
      return null;
    }
  }
  if (!isLicenceSetting(licences)) {
    o.io.stderr.write(`ledger ${command}: --licences must be one of ${LICENCE_SETTINGS.join(', ')} (got "${licences}")\n${o.usage}\n`);
    return null;
  }
  try {
    return { help: false, pack: withLicenceSetting(loadPolicyPack(packId), licences as LicenceSetting), positional };
  } catch (e) {
    o.io.stderr.write(`ledger ${command}: ${(e as Error).message}\n`);
    return null;
  }
}
