// Compiled validation of the v1 schemas. Every violation is returned with its JSON path, so a producer learns
// all that is wrong with an event at once.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ALL_SCHEMAS } from './schemas';

export interface Violation {
  path: string;
  message: string;
}

type SchemaNode = Record<string, unknown>;
const isNode = (v: unknown): v is SchemaNode => typeof v === 'object' && v !== null && !Array.isArray(v);
// An object schema that allows only the properties it lists (no patternProperties) and requires some of them.
const closedObject = (v: unknown): v is SchemaNode & { properties: SchemaNode; required: string[] } =>
  isNode(v) &&
  v['type'] === 'object' &&
  v['additionalProperties'] === false &&
  v['patternProperties'] === undefined &&
  isNode(v['properties']) &&
  Array.isArray(v['required']);

// The schema the deciding compilation uses: the published one, with each `oneOf` of two closed object schemas that
// one property tells apart written as `if` (that property) `then` (its branch) `else` (the other). Ajv evaluates
// both branches of a `oneOf` and builds error objects for the one that fails (381 bytes an event for a shipment:
// its authorization and every item), where `if` builds none. Same verdict on every document, for either reason:
// - one branch requires a property the other does not allow (a catalogue item's `chip`): a document that has it
//   can only match the first, one that lacks it only the second;
// - both require `kind` and allow disjoint sets of values for it (the authorization): a document matches at most
//   the branch whose set holds its kind, and the `if` picks that branch, or the other when its kind is in neither
//   (which then fails, as the `oneOf` does).
// A value that is not an object passes the `if` (it constrains objects only) and fails the `then` branch, which
// requires an object, as it fails both branches of the `oneOf`. Anything else is left as published;
// libs/contracts/test/deciding-schema.spec.ts checks the verdicts agree on borderline values and on random edits
// of valid events.
export function decidingSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(decidingSchema);
  if (!isNode(schema)) return schema;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(schema)) out[k] = decidingSchema(v);
  const branches = out['oneOf'];
  if (!Array.isArray(branches) || branches.length !== 2 || !closedObject(branches[0]) || !closedObject(branches[1])) return out;
  if ('if' in out || 'then' in out || 'else' in out) return out;
  const [a, b] = branches;
  const { oneOf: _, ...rest } = out;
  const apart = a.required.find((p) => !(p in b.properties));
  if (apart !== undefined) return { ...rest, if: { required: [apart] }, then: a, else: b };
  const kindsA = (a.properties['kind'] as { enum?: unknown[] } | undefined)?.enum;
  const kindsB = (b.properties['kind'] as { enum?: unknown[] } | undefined)?.enum;
  if (a.required.includes('kind') && b.required.includes('kind') && Array.isArray(kindsA) && Array.isArray(kindsB) && !kindsA.some((k) => kindsB.includes(k))) {
    return { ...rest, if: { required: ['kind'], properties: { kind: { enum: kindsA } } }, then: a, else: b };
  }
  return out;
}

// Two compilations of each schema: one that stops at the first violation, which decides (nearly every event is
// valid, and it takes about a fifth less time than the other), and one that collects every violation, run only on
// an event that the first refused, to report them all. The second is compiled on the first such event of its type:
// compiling every schema takes about 130 ms, which every process would otherwise pay again at start-up.
const decide = new Ajv({ allErrors: false, strict: false });
const explain = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, { isValid: ValidateFunction; allViolations: () => ValidateFunction }>();
for (const [type, schema] of Object.entries(ALL_SCHEMAS)) {
  let allViolations: ValidateFunction | undefined;
  validators.set(type, { isValid: decide.compile(decidingSchema(schema) as typeof schema), allViolations: () => (allViolations ??= explain.compile(schema)) });
}

function describe(error: ErrorObject): Violation {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path, message: `unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"` };
    case 'required':
      return { path, message: `missing field "${(error.params as { missingProperty: string }).missingProperty}"` };
    case 'const':
      return { path, message: `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}` };
    case 'enum':
      return { path, message: `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

// Returns [] when `value` is a valid document of `type`.
export function validateAgainstSchema(type: string, value: unknown): Violation[] {
  const compiled = validators.get(type);
  if (compiled === undefined) return [{ path: '/type', message: `no schema for type "${type}"` }];
  if (compiled.isValid(value)) return [];
  // The event is invalid: the first compilation decided. The second only names the violations.
  const validate = compiled.allViolations();
  validate(value);
  const errors = withoutUnmeantBranches(validate.errors ?? []);
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const error of errors) {
    // oneOf failures repeat the branch errors; the branch errors are the useful ones.
    if (error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const v = describe(error);
    const key = `${v.path} ${v.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out.length > 0 ? out : [{ path: '/', message: 'does not match the schema' }];
}

// A `oneOf` that no branch matches reports the errors of every branch, most of them about branches the document
// was not meant for: a catalogue item with quantity 0 would also hear that it lacks `tppPerUnit` and must not have
// `chip`. Of each such `oneOf`, only the branches the document can have been meant for are reported: those whose
// discriminator (a `const` or `enum` on one of the object's own fields, such as `kind`) it does not contradict, and
// of those, the ones with the fewest missing or unknown fields. When that leaves several, all of them are reported.
function withoutUnmeantBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<string>();
  for (const oneOf of errors) {
    if (oneOf.keyword !== 'oneOf') continue;
    const prefix = `${oneOf.schemaPath}/`;
    const branches = new Map<string, { contradicts: boolean; structural: number }>();
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0]!;
      const b = branches.get(branch) ?? { contradicts: false, structural: 0 };
      const ownField = e.instancePath.startsWith(`${oneOf.instancePath}/`) && !e.instancePath.slice(oneOf.instancePath.length + 1).includes('/');
      if ((e.keyword === 'const' || e.keyword === 'enum') && ownField) b.contradicts = true;
      if ((e.keyword === 'required' || e.keyword === 'additionalProperties') && e.instancePath === oneOf.instancePath) b.structural++;
      branches.set(branch, b);
    }
    const all = [...branches.values()];
    const candidates = all.some((b) => !b.contradicts) ? all.filter((b) => !b.contradicts) : all;
    const fewest = Math.min(...candidates.map((b) => b.structural));
    for (const [branch, b] of branches) if (!candidates.includes(b) || b.structural > fewest) dropped.add(`${prefix}${branch}/`);
  }
  if (dropped.size === 0) return [...errors];
  return errors.filter((e) => ![...dropped].some((d) => e.schemaPath.startsWith(d)));
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path}: ${v.message}`).join('; ');
}
