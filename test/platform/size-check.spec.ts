// Small: scripts/check-sizes.js, the size rule that scripts/test.sh enforces before the specs, flags what it must
// (a function of 81 lines, a file of 401) and only that (80 and 400 pass, migrations are exempt), and its allowlist
// holds only apps/api and apps/cli. Run against a scratch tree, so it cannot pass by finding nothing to check.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const checker = path.join(root, 'scripts', 'check-sizes.js');

// A function whose declaration spans `lines` lines, first to last brace included.
function functionOf(name: string, lines: number): string {
  const body = Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`);
  return [`export function ${name}(): void {`, ...body, '}'].join('\n') + '\n';
}

// A file of `lines` lines with no long function in it.
function fileOf(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const c${i} = ${i};`).join('\n') + '\n';
}

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'size-check-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function check(dir: string): { status: number | null; lines: string[] } {
  const r = spawnSync(process.execPath, [checker, '--root', dir], { encoding: 'utf8' });
  return { status: r.status, lines: r.stdout.split('\n').filter((l) => l !== '') };
}

describe('size check', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('flags an 81-line function and a 401-line file, as path:line name N lines, and exits 1', () => {
    const dir = tree({
      'libs/demo/src/long-function.ts': `// one\n${functionOf('tooLong', 81)}`,
      'libs/demo/src/long-file.ts': fileOf(401),
      'apps/demo/src/fine.ts': functionOf('justFits', 80) + fileOf(320),
      'libs/demo/src/migrations/1700000000000-big.ts': functionOf('up', 200) + fileOf(300),
    });
    dirs.push(dir);
    const { status, lines } = check(dir);
    assert.equal(status, 1);
    assert.ok(lines.includes('libs/demo/src/long-function.ts:2 tooLong 81 lines (max 80)'), lines.join('\n'));
    assert.ok(lines.includes('libs/demo/src/long-file.ts:1 <file> 401 lines (max 400)'), lines.join('\n'));
    // The 80-line function in a 400-line file, and the migration, are not violations.
    assert.equal(lines.filter((l) => / \d+ lines \(max \d+\)$/.test(l)).length, 2, lines.join('\n'));
  });

  it('measures arrow functions and methods, and passes a tree within the limits with exit 0', () => {
    const arrow = `export const handler = () => {\n${Array.from({ length: 81 }, (_, i) => `  void ${i};`).join('\n')}\n};\n`;
    const method = `export class Service {\n  run(): void {\n${Array.from({ length: 80 }, (_, i) => `    void ${i};`).join('\n')}\n  }\n}\n`;
    const flagged = tree({ 'bench/arrow.ts': arrow, 'test/method.ts': method });
    const clean = tree({ 'libs/demo/src/ok.ts': functionOf('ok', 80), 'scripts/tool.js': fileOf(400) });
    dirs.push(flagged, clean);
    const bad = check(flagged);
    assert.equal(bad.status, 1);
    assert.ok(bad.lines.includes('bench/arrow.ts:1 handler 83 lines (max 80)'), bad.lines.join('\n'));
    assert.ok(bad.lines.includes('test/method.ts:2 run 82 lines (max 80)'), bad.lines.join('\n'));
    const good = check(clean);
    assert.equal(good.status, 0, good.lines.join('\n'));
  });

  it('accepts allowlisted violations under apps/api and apps/cli only, and fails on a stale entry', () => {
    const dir = tree({
      'apps/api/src/big.ts': functionOf('legacy', 90),
      'libs/demo/src/big.ts': functionOf('legacy', 90),
      'scripts/size-allowlist.txt': 'apps/api/src/big.ts legacy\nlibs/demo/src/big.ts legacy\napps/cli/src/gone.ts fixed\n',
    });
    dirs.push(dir);
    const { status, lines } = check(dir);
    assert.equal(status, 1);
    assert.ok(!lines.some((l) => l.startsWith('apps/api/src/big.ts:')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('libs/demo/src/big.ts: only apps/api/ and apps/cli/ may be allowlisted')), lines.join('\n'));
    assert.ok(lines.includes('libs/demo/src/big.ts:1 legacy 90 lines (max 80)'), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('apps/cli/src/gone.ts fixed: allowlisted but no longer too long')), lines.join('\n'));
  });
});
