import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { publishedSchemaFiles, validateAgainstSchema } from '@app/contracts';

const ROOT = path.resolve(__dirname, '../../../..');
const PUBLISHED = path.join(ROOT, 'libs/contracts/schemas');

test('the published JSON Schema files are exactly what the validator enforces (run `ledger schemas` after a change)', () => {
  for (const f of publishedSchemaFiles()) {
    const onDisk = fs.readFileSync(path.join(PUBLISHED, f.name), 'utf8');
    assert.equal(onDisk, f.text, `${f.name} is stale`);
  }
  assert.equal(fs.readdirSync(PUBLISHED).filter((n) => n.endsWith('.json')).length, publishedSchemaFiles().length);
});

test('a producer using the published files with a stock validator accepts and rejects what the ledger does', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const shipmentSchema = JSON.parse(fs.readFileSync(path.join(PUBLISHED, 'chip.shipment.v1.schema.json'), 'utf8'));
  const validate = ajv.compile(shipmentSchema);
  const good = {
    type: 'chip.shipment', version: 1, eventId: 'nv-2026-000123', publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
    consignee: { id: 'acme-ai', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D123456' },
    items: [{ chip: 'H100-SXM', quantity: 1000 }, { tppPerUnit: 20000, label: 'custom ASIC', quantity: 4 }],
  };
  assert.equal(validate(good), true);
  assert.deepEqual(validateAgainstSchema('chip.shipment', good), []);
  const bad = { ...good, authorization: { kind: 'NVEU' } };
  assert.equal(validate(bad), false);
  assert.notDeepEqual(validateAgainstSchema('chip.shipment', bad), []);
});

test('validation names every violation with its JSON path', () => {
  const v = validateAgainstSchema('chip.shipment', {
    type: 'chip.shipment', version: 2, eventId: 'has space', publisher: 'NVIDIA', occurredAt: '2026-03-14T09:30:00Z',
    consignee: { id: 'acme-ai', country: 'AE', extra: true }, authorization: { kind: 'LICENSE' }, items: [],
  });
  const paths = v.map((x) => x.path);
  for (const p of ['/version', '/eventId', '/publisher', '/consignee', '/items']) assert.ok(paths.includes(p), `missing ${p} in ${JSON.stringify(v)}`);
});

test('a violation inside a oneOf is reported for the branch the event was meant for, not for every branch', () => {
  const shipment = (authorization: object, item: object) => ({
    type: 'chip.shipment', version: 1, eventId: 'nv-1', publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
    consignee: { id: 'acme-ai', country: 'AE' }, authorization, items: [item],
  });
  const licence = { kind: 'LICENSE', ref: 'D1' };
  const said = (event: object) => validateAgainstSchema((event as { type: string }).type, event).map((v) => `${v.path}: ${v.message}`);
  // A catalogue item is a catalogue item: its quantity is what is wrong, not that it lacks tppPerUnit.
  assert.deepEqual(said(shipment(licence, { chip: 'H100-SXM', quantity: 0 })), ['/items/0/quantity: must be >= 1']);
  assert.deepEqual(said(shipment(licence, { tppPerUnit: 0, quantity: 3 })), ['/items/0/tppPerUnit: must be >= 1']);
  assert.deepEqual(said(shipment(licence, { chip: 'H100-SXM', quantity: 1, dieAreaMm2: 800 })), ['/items/0: unknown field "dieAreaMm2"']);
  // The authorization's kind says which branch: an NVEU authorization lacks its ref.
  assert.deepEqual(said(shipment({ kind: 'NVEU' }, { chip: 'H100-SXM', quantity: 1 })), ['/authorization: missing field "ref"']);
  // Where nothing tells the branches apart, both are named.
  assert.deepEqual(said(shipment(licence, { quantity: 3 })), ['/items/0: missing field "chip"', '/items/0: missing field "tppPerUnit"']);
  const veu = (v: object) => ({ type: 'policy.veu-granted', version: 1, eventId: 'bis-1', publisher: 'regulator', occurredAt: '2026-01-20T00:00:00Z', veu: v });
  assert.deepEqual(said(veu({ kind: 'UVEU', id: 'aws', headquarters: 'US', country: 'US' })), ['/veu: unknown field "country"']);
  assert.deepEqual(said(veu({ kind: 'NVEU', id: 'g42', headquarters: 'AE' })), ['/veu: missing field "country"']);
});
