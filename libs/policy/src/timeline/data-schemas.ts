// The JSON Schemas of the policy data (packs, the chip catalogue, timelines), compiled once with Ajv. A document is
// checked against its schema before anything reads it: a misspelt or unknown key, a missing key or a value of the
// wrong type is refused with the path that names it (`tiers.tier1.countries[3]`), and nothing falls back to a default.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

export type PolicyDataKind = 'policy-pack' | 'chip-catalogue' | 'policy-timeline';

const SCHEMAS_DIR = path.join(__dirname, '..', 'schemas');
const compiled = new Map<PolicyDataKind, ValidateFunction>();

function validatorOf(kind: PolicyDataKind): ValidateFunction {
  let v = compiled.get(kind);
  if (v === undefined) {
    const schema: unknown = JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, `${kind}.schema.json`), 'utf8'));
    v = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema as object);
    compiled.set(kind, v);
  }
  return v;
}

export function policyDataSchema(kind: PolicyDataKind): unknown {
  return JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, `${kind}.schema.json`), 'utf8'));
}

// Every violation of the schema, as "path: message", in document order; [] when the document is valid.
export function schemaProblems(kind: PolicyDataKind, doc: unknown): string[] {
  const validate = validatorOf(kind);
  if (validate(doc)) return [];
  const out = new Set<string>();
  for (const e of validate.errors ?? []) {
    // An if/then/else reports its own "must match then/else schema" beside the errors of the branch: noise.
    if (e.keyword === 'if') continue;
    out.add(describe(e));
  }
  return [...out];
}

function describe(e: ErrorObject): string {
  const at = dotted(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${join(at, String(params['additionalProperty']))}: unknown key (misspelt, or not part of this format)`;
    case 'required':
      return `${join(at, String(params['missingProperty']))}: required key is missing`;
    case 'enum':
      return `${at || '(document)'}: must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'propertyNames':
      return `${join(at, String(params['propertyName']))}: not an allowed key here`;
    default:
      return `${at || '(document)'}: ${e.message ?? e.keyword}`;
  }
}

// JSON Pointer (/tiers/tier1/countries/3) to the dotted form the pack errors use (tiers.tier1.countries[3]).
function dotted(pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^[0-9]+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

function join(at: string, key: string): string {
  const k = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return at === '' ? k : k.startsWith('[') ? `${at}${k}` : `${at}.${k}`;
}
