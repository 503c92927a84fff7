// What the judging commands (replay, rejudge) share: the `--pack PACK_ID` flag and loading the pack it names, where an
// unknown pack is a usage error like any other bad flag.
import { loadPolicyPack, type PolicyPack } from '@app/policy';
import { UsageError, type CommandSpec, type FlagSpec } from './command-args';

export const PACK_FLAG = { type: 'string', pattern: /^[a-z0-9][a-z0-9._-]{0,99}$/, expected: 'a policy pack id (lower-case letters, digits, dot, dash)' } as const;

export function loadPackOrUsageError(spec: CommandSpec<Record<string, FlagSpec>>, packId: string): PolicyPack {
  try {
    return loadPolicyPack(packId);
  } catch (e) {
    throw new UsageError(spec.name, (e as Error).message, spec.usage);
  }
}
