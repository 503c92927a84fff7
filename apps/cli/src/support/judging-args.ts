// What the judging commands (replay, rejudge) share: the `--pack PACK_ID` flag and loading the pack it names, where an
// unknown pack is a usage error like any other bad flag.
import * as fs from 'node:fs';
import { loadPolicyPack, parseTrustAnchors, type Authenticity, type PolicyPack } from '@app/policy';
import { UsageError, type CommandSpec, type FlagSpec } from './command-args';

export const PACK_FLAG = { type: 'string', pattern: /^[a-z0-9][a-z0-9._-]{0,99}$/, expected: 'a policy pack id (lower-case letters, digits, dot, dash)' } as const;

export function loadPackOrUsageError(spec: CommandSpec<Record<string, FlagSpec>>, packId: string): PolicyPack {
  try {
    return loadPolicyPack(packId);
  } catch (e) {
    throw new UsageError(spec.name, (e as Error).message, spec.usage);
  }
}

// `--require-signatures` (signatures `required`; `optional` by default offline) and `--trusted-keys FILE` (the
// regulator's trust anchors, [{"keyId":"regulator/...","publicKey":"..."}]). A file that cannot be read or used is a
// usage error naming what is wrong.
export const SIGNATURE_FLAGS = {
  'require-signatures': { type: 'boolean' },
  'trusted-keys': { type: 'string' },
} as const;

export function authenticityOrUsageError(
  spec: CommandSpec<Record<string, FlagSpec>>,
  flags: { 'require-signatures': boolean; 'trusted-keys': string | undefined },
): Authenticity {
  const enforcement = flags['require-signatures'] ? 'required' : 'optional';
  const file = flags['trusted-keys'];
  if (file === undefined) return { enforcement, trustAnchors: new Map() };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(spec.name, `cannot read the trusted keys ${JSON.stringify(file)}: ${(e as Error).message}`, spec.usage);
  }
  try {
    return { enforcement, trustAnchors: parseTrustAnchors(text) };
  } catch (e) {
    throw new UsageError(spec.name, (e as Error).message, spec.usage);
  }
}
