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
