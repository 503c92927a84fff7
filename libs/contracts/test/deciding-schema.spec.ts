// The ledger decides whether an event is valid with a rewritten copy of each published schema (decidingSchema: a
// `oneOf` told apart by one property written as if/then/else, which builds no error objects). These specs check
// that the rewrite never changes a verdict: the published schema, compiled by a stock Ajv, and
// validateAgainstSchema agree on valid events and on many kinds of broken ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Ajv from 'ajv';
import fc from 'fast-check';
import { decidingSchema, INPUT_SCHEMAS, validateAgainstSchema } from '@app/contracts';

const stock = new Ajv({ allErrors: false, strict: false });
const published = new Map(Object.entries(INPUT_SCHEMAS).map(([type, schema]) => [type, stock.compile(schema)]));
const agrees = (type: string, doc: unknown): void => {
  const expected = published.get(type)!(doc);
  const got = validateAgainstSchema(type, doc).length === 0;
  assert.equal(got, expected, `${type}: published schema says ${expected ? 'valid' : 'invalid'}, the ledger ${got ? 'valid' : 'invalid'}: ${JSON.stringify(doc)}`);
};

const shipment = {
  type: 'chip.shipment',
  version: 1,
  eventId: 'nv-0000120',
  publisher: 'nvidia',
  occurredAt: '2026-03-14T09:30:00Z',
  consignee: { id: 'acme-ai', country: 'AE' },
  authorization: { kind: 'LICENSE', ref: 'D123456' },
  items: [{ chip: 'H100-SXM', quantity: 1000 }, { tppPerUnit: 20000, label: 'custom ASIC', quantity: 4, dieAreaMm2: 800 }],
};
const deployment = {
  type: 'dc.deployment',
  version: 1,
  eventId: 'aws-0000007',
  publisher: 'aws',
  occurredAt: '2026-03-14T09:30:00Z',
  veu: { kind: 'UVEU', id: 'aws' },
  dataCenter: { id: 'fra-1', country: 'DE' },
  action: 'INSTALL',
  items: [{ chip: 'H100-SXM', quantity: 8 }],
};

test('the rewrite replaces exactly the oneOf of items and of a shipment authorization', () => {
  const text = (type: keyof typeof INPUT_SCHEMAS) => JSON.stringify(decidingSchema(INPUT_SCHEMAS[type]));
  assert.equal((text('chip.shipment').match(/"oneOf"/g) ?? []).length, 0);
  assert.equal((text('chip.shipment').match(/"if"/g) ?? []).length, 2);
  assert.equal((text('dc.deployment').match(/"if"/g) ?? []).length, 1);
  // A oneOf the rules do not cover is kept as published.
  const untouched = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  assert.deepEqual(decidingSchema(untouched), untouched);
});

test('hand-picked borderline values get the published verdict', () => {
  const authorizations: unknown[] = [
    { kind: 'LICENSE' }, { kind: 'LPP', ref: 'x' }, { kind: 'NONE', ref: '' }, { kind: 'NVEU', ref: 'humain' }, { kind: 'UVEU' },
    { kind: 'NVEU', ref: 'a:b' }, { kind: 'LICENSE', ref: 'a:b' }, { kind: 'OTHER', ref: 'x' }, { ref: 'x' }, {}, null, 'LICENSE',
    [], { kind: 'LICENSE', extra: 1 }, { kind: 'UVEU', ref: 'aws', extra: 1 }, { kind: 7 },
  ];
  for (const authorization of authorizations) agrees('chip.shipment', { ...shipment, authorization });
  const items: unknown[] = [
    { chip: 'A100', quantity: 1 }, { tppPerUnit: 1600, quantity: 1 }, { chip: 'A100', tppPerUnit: 1600, quantity: 1 },
    { chip: 'A100' }, { tppPerUnit: 5 }, { quantity: 3 }, {}, null, 3, 'A100', [], { chip: 'A100', quantity: 1, dieAreaMm2: 5 },
    { tppPerUnit: 1600, quantity: 1, dieAreaMm2: 0 }, { tppPerUnit: 1600, quantity: 1, label: 'x', dieAreaMm2: 1 },
    { chip: '', quantity: 1 }, { chip: 'A100', quantity: 0 },
  ];
  for (const item of items) {
    agrees('chip.shipment', { ...shipment, items: [item] });
    agrees('dc.deployment', { ...deployment, items: [{ chip: 'B200', quantity: 2 }, item] });
  }
});

// A random edit at a random place in a valid event: a value replaced by any JSON value, a key removed, a key added.
const edit = fc.oneof(
  fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat(), value: fc.constant(null) }),
  fc.record({ op: fc.constant('add' as const), pick: fc.nat(), value: fc.constantFrom('chip', 'tppPerUnit', 'kind', 'ref', 'x', 'label', 'dieAreaMm2') }),
  fc.record({ op: fc.constant('kind' as const), pick: fc.nat(), value: fc.constantFrom('LICENSE', 'LPP', 'NONE', 'NVEU', 'UVEU', 'NOPE', '') }),
);

function containers(doc: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (typeof doc === 'object' && doc !== null) {
    out.push(doc as Record<string, unknown>);
    for (const v of Object.values(doc)) containers(v, out);
  }
  return out;
}

function mutate(base: object, edits: Array<{ op: string; pick: number; value: unknown }>): unknown {
  const doc = structuredClone(base) as Record<string, unknown>;
  for (const e of edits) {
    const all = containers(doc);
    const target = all[e.pick % all.length]!;
    const keys = Object.keys(target);
    if (e.op === 'set' && keys.length > 0) target[keys[e.pick % keys.length]!] = e.value;
    else if (e.op === 'delete' && keys.length > 0) delete target[keys[e.pick % keys.length]!];
    else if (e.op === 'add') target[e.value as string] = e.value === 'chip' ? 'A100' : e.value === 'tppPerUnit' ? 2000 : 'v';
    else if (e.op === 'kind' && 'kind' in target) target['kind'] = e.value;
  }
  return doc;
}

test('property: on random edits of valid shipments and deployments, the ledger and the published schema agree', () => {
  fc.assert(
    fc.property(fc.constantFrom(shipment, deployment), fc.array(edit, { minLength: 1, maxLength: 3 }), (base, edits) => {
      agrees(base.type, mutate(base, edits));
    }),
    { numRuns: 3000 },
  );
});
