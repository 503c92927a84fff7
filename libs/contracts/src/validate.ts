// Compiled validation of the v1 schemas. Every violation is returned with its JSON path, so a producer learns
// all that is wrong with an event at once.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ALL_SCHEMAS } from './schemas';

export interface Violation {
  path: string;
  message: string;
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
  validators.set(type, { isValid: decide.compile(schema), allViolations: () => (allViolations ??= explain.compile(schema)) });
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
