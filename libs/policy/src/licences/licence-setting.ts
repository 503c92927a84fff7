// The `licences` setting of a pack (CONTRACTS.md "Licences"): read from the pack document, or set by a deployment
// (POLICY_LICENCES) or a replay (--licences) over the pack it judges with.
import type { PolicyPack } from '../policy-pack';
import { DEFAULT_LICENCE_SETTING, isLicenceSetting, LICENCE_SETTINGS, type LicenceSetting } from './licence-record';

// The pack's optional `licences` member ({ "value": "registered-only", "cite": ... }); absent: verify-if-known.
export function licenceSettingOf(doc: unknown, problems: string[]): LicenceSetting {
  if (doc === undefined) return DEFAULT_LICENCE_SETTING;
  const value = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['value'] : undefined;
  if (isLicenceSetting(value)) return value;
  problems.push(`licences.value: expected one of ${LICENCE_SETTINGS.join(', ')}`);
  return DEFAULT_LICENCE_SETTING;
}

// The same pack with another licence setting. The pack's id and version stay: the setting says how strictly licence
// numbers are checked, not which rules apply.
// A timeline takes the setting in every pack it holds: the judge reads it from the pack in force at each event.
export function withLicenceSetting(pack: PolicyPack, setting: LicenceSetting): PolicyPack {
  const timeline = pack.timeline;
  if (timeline === null) return pack.licences === setting ? pack : { ...pack, licences: setting };
  const entries = timeline.entries.map((e) => ({ ...e, pack: withLicenceSetting(e.pack, setting) }));
  return { ...pack, licences: setting, timeline: { ...timeline, entries } };
}
