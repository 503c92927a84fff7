// docs/configuration.md is generated from the settings declarations; this fails when someone adds or changes a
// setting and does not regenerate it, or declares a setting without saying what it does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { settingsReference } from '@app/config';
import { CONFIGURATION_DOC_COMMAND, CONFIGURATION_DOC_PATH, configurationMarkdown } from '../src/configuration-doc';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('docs/configuration.md', () => {
  it('is what the generator writes from the settings declarations today', () => {
    const onDisk = fs.readFileSync(path.join(root, CONFIGURATION_DOC_PATH), 'utf8');
    assert.ok(onDisk === configurationMarkdown(), `${CONFIGURATION_DOC_PATH} is out of date: run ${CONFIGURATION_DOC_COMMAND}`);
  });

  it('documents every key every app accepts, with its default and what it does', () => {
    const doc = configurationMarkdown();
    for (const app of ['ledger', 'relay', 'api', 'cli'] as const) {
      for (const setting of settingsReference(app)) {
        assert.ok(setting.description.length > 0, `${setting.key} has no description`);
        const row = doc.split('\n').find((line) => line.startsWith(`| \`${setting.key}\` |`));
        assert.ok(row !== undefined, `${setting.key} is missing`);
        assert.ok(row.includes(setting.description), `${setting.key} lacks its description`);
      }
    }
    const pool = doc.split('\n').find((line) => line.startsWith('| `DATABASE_POOL_SIZE_MAX` |'));
    assert.match(pool ?? '', /ledger: `10`; relay: `4`; api: `20`; cli: `4`/);
    assert.match(doc, /\| `LEDGER_BATCH_SIZE_MAX` \| ledger \| `10000` \| an integer 1\.\.100000 \|/);
    assert.match(doc, /\| `KAFKA_SASL_PASSWORD` \| every app \| unset \| a non-empty string \(secret\) \|/);
  });
});
