// What the judging commands (replay, rejudge) share: the `--pack PACK_ID` flag and loading the pack it names, where an
// unknown pack is a usage error like any other bad flag; the `--licences verify-if-known|registered-only` flag
// (docs/licences.md).
import { loadPolicyPack, withLicenceSetting, type LicenceSetting, type PolicyPack } from '@app/policy';
import { UsageError, type CommandSpec, type FlagSpec } from './command-args';

export const PACK_FLAG = { type: 'string', pattern: /^[a-z0-9][a-z0-9._-]{0,99}$/, expected: 'a policy pack id (lower-case letters, digits, dot, dash)' } as const;

export const LICENCES_FLAG = { type: 'string', pattern: /^(verify-if-known|registered-only)$/, expected: 'verify-if-known or registered-only' } as const;

// The pack, with the licence setting when one is given (the flag's pattern admits only the two settings).
export function loadPackOrUsageError(spec: CommandSpec<Record<string, FlagSpec>>, packId: string, licences?: string): PolicyPack {
  try {
    const pack = loadPolicyPack(packId);
    return licences === undefined ? pack : withLicenceSetting(pack, licences as LicenceSetting);
  } catch (e) {
    throw new UsageError(spec.name, (e as Error).message, spec.usage);
  }
}
