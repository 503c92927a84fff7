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
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const error of validate.errors ?? []) {
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

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path}: ${v.message}`).join('; ');
}
