// The import rules are enforced, not only described: the check the test command runs (.dependency-cruiser.cjs)
// passes on this tree, and fails, naming the rule, on a tree with one deliberate bad import of each kind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '@app/testing';

const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');

function check(cwd: string, ...paths: string[]): { status: number | null; out: string } {
  const r = spawnSync(DEPCRUISE, [...paths, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

// '@app/<lib>' written so that tsc-alias, which rewrites the aliases in the compiled specs, leaves these sources be.
const at = (lib: string) => `@${'app'}/${lib}`;

// A small monorepo with the real layout and aliases: one file per app and lib, each importing only what is allowed.
const GOOD: Record<string, string> = {
  'libs/contracts/src/index.ts': 'export const TOPIC = "t";\n',
  'libs/config/src/index.ts': 'export const CONFIG = 1;\n',
  'libs/policy/src/index.ts': `import { TOPIC } from '${at('contracts')}';\nexport const judge = () => TOPIC;\n`,
  'libs/persistence/src/index.ts': `import { judge } from '${at('policy')}';\nexport const write = judge;\n`,
  'libs/messaging/src/index.ts': `import { TOPIC } from '${at('contracts')}';\nexport const consume = TOPIC;\n`,
  'libs/observability/src/index.ts': `import { CONFIG } from '${at('config')}';\nexport const health = CONFIG;\n`,
  'libs/testing/src/index.ts': `import { write } from '${at('persistence')}';\nexport const db = write;\n`,
  'libs/testing/src/feed-generator.ts': 'export const feed = 1;\n',
  'apps/ledger/src/main.ts': `import { write } from '${at('persistence')}';\nexport const ledger = write;\n`,
  'apps/relay/src/main.ts': `import { consume } from '${at('messaging')}';\nexport const relay = consume;\n`,
  'apps/cli/src/main.ts': `import { feed } from '${at('testing/feed-generator')}';\nexport const cli = feed;\n`,
  'bench/a.bench.ts': `import { db } from '${at('testing')}';\nexport const bench = db;\n`,
};

const BAD: Array<{ what: string; file: string; source: string; rule: string }> = [
  { what: 'an app imports another app', file: 'apps/relay/src/bad.ts', source: "import { ledger } from '../../ledger/src/main';\nexport const x = ledger;\n", rule: 'no-app-to-app' },
  { what: 'libs/policy imports @nestjs', file: 'libs/policy/src/bad.ts', source: "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n", rule: 'policy-is-pure' },
  { what: 'libs/policy imports typeorm', file: 'libs/policy/src/bad.ts', source: "import type { DataSource } from 'typeorm';\nexport type X = DataSource;\n", rule: 'policy-is-pure' },
  { what: 'libs/policy imports kafkajs', file: 'libs/policy/src/bad.ts', source: "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n", rule: 'policy-is-pure' },
  { what: 'a lower lib (policy) imports a higher one (persistence)', file: 'libs/policy/src/bad.ts', source: `import { write } from '${at('persistence')}';\nexport const x = write;\n`, rule: 'lib-layers-policy' },
  { what: 'a lower lib (contracts) imports a higher one (messaging)', file: 'libs/contracts/src/bad.ts', source: `import { consume } from '${at('messaging')}';\nexport const x = consume;\n`, rule: 'lib-layers-contracts' },
  { what: 'a lib imports an app', file: 'libs/persistence/src/bad.ts', source: "import { ledger } from '../../../apps/ledger/src/main';\nexport const x = ledger;\n", rule: 'no-lib-to-app' },
  { what: 'a service imports libs/testing', file: 'apps/ledger/src/bad.ts', source: `import { db } from '${at('testing')}';\nexport const x = db;\n`, rule: 'testing-only-in-specs-and-benchmarks' },
  { what: 'a benchmark imports an app', file: 'bench/bad.bench.ts', source: "import { ledger } from '../apps/ledger/src/main';\nexport const x = ledger;\n", rule: 'bench-imports-libs-only' },
];

describe('import rules', () => {
  let tree = '';

  before(() => {
    tree = fs.mkdtempSync(path.join(os.tmpdir(), 'import-rules-'));
    for (const [file, text] of Object.entries(GOOD)) {
      fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      fs.writeFileSync(path.join(tree, file), text);
    }
    fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(tree, 'tsconfig.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  });

  after(() => fs.rmSync(tree, { recursive: true, force: true }));

  it('pass on this repository as it is', () => {
    const r = check(ROOT, 'apps', 'libs', 'test', 'bench');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /no dependency violations found/);
  });

  it('pass on the small tree where every arrow is allowed', () => {
    const r = check(tree, 'apps', 'libs', 'bench');
    assert.equal(r.status, 0, r.out);
  });

  for (const bad of BAD) {
    it(`fail when ${bad.what}, naming the rule and the import`, () => {
      const file = path.join(tree, bad.file);
      fs.writeFileSync(file, bad.source);
      try {
        const r = check(tree, 'apps', 'libs', 'bench');
        assert.notEqual(r.status, 0, r.out);
        assert.match(r.out, new RegExp(`error ${bad.rule}: ${bad.file.replace(/\./g, '\\.')} →`));
      } finally {
        fs.rmSync(file);
      }
    });
  }
});
