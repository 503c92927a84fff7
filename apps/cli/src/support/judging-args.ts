// What the judging commands (replay, rejudge) share: the `--pack PACK_ID` and `--timeline TIMELINE_ID` flags (one or
// the other) and loading what they name, where an unknown pack or timeline is a usage error like any other bad flag;
// the `--licences verify-if-known|registered-only` flag (docs/licences.md); and the signature flags.
import * as fs from 'node:fs';
import { loadJudgingPolicy, loadPolicyPack, parseTrustAnchors, withLicenceSetting, type Authenticity, type LicenceSetting, type PolicyPack } from '@app/policy';
import { UsageError, type CommandSpec, type FlagSpec } from './command-args';

export const PACK_FLAG = { type: 'string', pattern: /^[a-z0-9][a-z0-9._-]{0,99}$/, expected: 'a policy pack id (lower-case letters, digits, dot, dash)' } as const;

export function loadPackOrUsageError(spec: CommandSpec<Record<string, FlagSpec>>, packId: string): PolicyPack {
  try {
    return loadPolicyPack(packId);
  } catch (e) {
    throw new UsageError(spec.name, (e as Error).message, spec.usage);
  }
}

export const LICENCES_FLAG = { type: 'string', pattern: /^(verify-if-known|registered-only)$/, expected: 'verify-if-known or registered-only' } as const;

// The pack or timeline with the licence setting (the flag's pattern admits only the two settings).
export function withLicences(pack: PolicyPack, licences: string): PolicyPack {
  return withLicenceSetting(pack, licences as LicenceSetting);
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

export const TIMELINE_FLAG = { type: 'string', pattern: /^[a-z0-9][a-z0-9-]{0,63}$/, expected: 'a policy timeline id (lower-case letters, digits, dash)' } as const;

// The pack, or with a timeline id the timeline (each event judged by the pack in force at its occurredAt); both at
// once is a usage error.
export function loadPolicyOrUsageError(spec: CommandSpec<Record<string, FlagSpec>>, o: { pack: string | undefined; timeline: string | undefined; defaults: { pack: string; timeline: string | null } }): PolicyPack {
  if (o.pack !== undefined && o.timeline !== undefined) throw new UsageError(spec.name, 'give --pack or --timeline, not both', spec.usage);
  const timeline = o.pack !== undefined ? null : (o.timeline ?? o.defaults.timeline);
  try {
    return loadJudgingPolicy({ pack: o.pack ?? o.defaults.pack, timeline });
  } catch (e) {
    throw new UsageError(spec.name, (e as Error).message, spec.usage);
  }
}
