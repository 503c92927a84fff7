// Timelines are data (./timelines/*.timeline.json, checked against schemas/policy-timeline.schema.json): an ordered
// list of {from, pack}. loadPolicyTimeline() returns a PolicyPack whose `timeline` is set: every function that judges
// (decodeEvent, judge, requirementsOf, accountView) resolves it to the pack in force at the event's occurredAt
// (packAt), so the services, the replay and the pre-clearance API take a timeline wherever they take a pack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PolicyPackError } from '../policy-pack.error';
import { loadPolicyPack, type CompiledTimeline, type PolicyPack } from '../policy-pack';
import { parseOccurredAt } from '../decode-event';
import { schemaProblems } from './data-schemas';

const TIMELINES_DIR = path.join(__dirname, '..', 'timelines');
const SUFFIX = '.timeline.json';

export function listPolicyTimelines(): string[] {
  return fs
    .readdirSync(TIMELINES_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

const cache = new Map<string, PolicyPack>();

export function loadPolicyTimeline(id: string): PolicyPack {
  const cached = cache.get(id);
  if (cached !== undefined) return cached;
  if (!/^[a-z0-9-]{1,64}$/.test(id) || !listPolicyTimelines().includes(id)) {
    throw new PolicyPackError(id, [`no such timeline; known timelines: ${listPolicyTimelines().join(', ')}`]);
  }
  const doc: unknown = JSON.parse(fs.readFileSync(path.join(TIMELINES_DIR, `${id}${SUFFIX}`), 'utf8'));
  const timeline = compilePolicyTimeline(doc, loadPolicyPack);
  if (timeline.timeline!.id !== id) throw new PolicyPackError(id, [`file declares id "${timeline.timeline!.id}"`]);
  cache.set(id, timeline);
  return timeline;
}

// The packs of a timeline must agree on their alert thresholds and hysteresis, since an account's alert state (a
// mask over the thresholds) carries over from one pack to the next.
export function compilePolicyTimeline(doc: unknown, loadPack: (id: string) => PolicyPack): PolicyPack {
  const problems = schemaProblems('policy-timeline', doc);
  const idOf = typeof (doc as { id?: unknown } | null)?.id === 'string' ? (doc as { id: string }).id : '(unnamed)';
  if (problems.length > 0) throw new PolicyPackError(idOf, problems);
  const d = doc as { id: string; version: string; title: string; entries: Array<{ from: string; pack: string }> };
  const entries = d.entries.map((e, i) => {
    const fromMs = parseOccurredAt(e.from);
    if (Number.isNaN(fromMs)) problems.push(`entries[${i}].from: not a valid RFC 3339 date-time`);
    if (i > 0 && !(fromMs > parseOccurredAt(d.entries[i - 1]!.from))) problems.push(`entries[${i}].from: entries must be in strictly increasing order of from`);
    let pack: PolicyPack | null = null;
    try {
      pack = loadPack(e.pack);
    } catch (err) {
      problems.push(`entries[${i}].pack: ${(err as Error).message}`);
    }
    return { fromMs, from: e.from, pack };
  });
  const first = entries[0]!.pack;
  entries.forEach((e, i) => {
    if (first === null || e.pack === null) return;
    const same =
      e.pack.thresholds.length === first.thresholds.length &&
      e.pack.thresholds.every((t, k) => t.label === first.thresholds[k]!.label) &&
      e.pack.hysteresis.num * first.hysteresis.den === first.hysteresis.num * e.pack.hysteresis.den;
    if (!same) problems.push(`entries[${i}].pack: "${e.pack.id}" has other alert thresholds or hysteresis than "${first.id}" (alert state carries over between packs)`);
  });
  if (problems.length > 0 || first === null) throw new PolicyPackError(d.id, problems);
  const compiled: CompiledTimeline = { id: d.id, version: d.version, title: d.title, entries: entries.map((e) => ({ fromMs: e.fromMs, from: e.from, pack: e.pack! })) };
  return { ...first, timeline: compiled };
}

// What the services and the CLI judge with: a timeline when one is named, otherwise the pack.
export function loadJudgingPolicy(o: { pack: string; timeline: string | null }): PolicyPack {
  return o.timeline === null ? loadPolicyPack(o.pack) : loadPolicyTimeline(o.timeline);
}

// How a document names what judged it: the pack's id and version, or for a timeline the timeline's id and version
// with the packs it strings together.
export function policyLabel(pack: PolicyPack): {
  id: string;
  version: string;
  timeline?: { id: string; version: string; packs: Array<{ from: string; id: string; version: string }> };
} {
  const t = pack.timeline;
  if (t === null) return { id: pack.id, version: pack.version };
  return {
    id: t.id,
    version: t.version,
    timeline: { id: t.id, version: t.version, packs: t.entries.map((e) => ({ from: e.from, id: e.pack.id, version: e.pack.version })) },
  };
}
