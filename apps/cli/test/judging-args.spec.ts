// The arguments of `ledger replay` and `ledger rejudge`: the pack they judge under, help, and usage errors with
// their messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { judgingArgs } from '../src/support/judging-args';

function parse(argv: string[], positionalMax = 1) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const args = judgingArgs('replay', argv, { usage: 'usage: x', positionalMax, defaultPack: 'ai-diffusion-2025', io: { stdout, stderr } });
  return { args, out: String(stdout.read() ?? ''), err: String(stderr.read() ?? '') };
}

test('the pack is the default, or the one --pack names in either form; other words are positional up to the limit', () => {
  const plain = parse(['feed.ndjson']);
  assert.ok(plain.args !== null && !plain.args.help);
  assert.equal(plain.args.pack.id, 'ai-diffusion-2025');
  assert.deepEqual(plain.args.positional, ['feed.ndjson']);
  for (const argv of [['--pack', 'china-case-by-case-2026', 'f'], ['f', '--pack=china-case-by-case-2026']]) {
    const r = parse(argv);
    assert.ok(r.args !== null && !r.args.help, argv.join(' '));
    assert.equal(r.args.pack.id, 'china-case-by-case-2026');
    assert.deepEqual(r.args.positional, ['f']);
  }
});

test('help goes to stdout; an extra word, an unknown option or an unknown pack is a usage error on stderr', () => {
  const help = parse(['-h']);
  assert.deepEqual(help.args, { help: true });
  assert.equal(help.out, 'usage: x\n');
  for (const [argv, message] of [
    [['a', 'b'], 'ledger replay: unexpected argument "b"\nusage: x\n'],
    [['--fast', 'a'], 'ledger replay: unexpected argument "--fast"\nusage: x\n'],
  ] as const) {
    const r = parse([...argv]);
    assert.equal(r.args, null);
    assert.equal(r.err, message);
  }
  const none = parse(['a'], 0);
  assert.equal(none.args, null, 'no positional word allowed');
  const unknown = parse(['--pack', 'nope', 'a']);
  assert.equal(unknown.args, null);
  assert.match(unknown.err, /^ledger replay: policy pack "nope" is invalid/);
});

test('--licences sets the licence setting in either form; the default is the one given, else verify-if-known; a bad value is a usage error', () => {
  const plain = parse(['f']);
  assert.ok(plain.args !== null && !plain.args.help);
  assert.equal(plain.args.pack.licences, 'verify-if-known');
  for (const argv of [['--licences', 'registered-only', 'f'], ['f', '--licences=registered-only']]) {
    const r = parse(argv);
    assert.ok(r.args !== null && !r.args.help);
    assert.equal(r.args.pack.licences, 'registered-only');
    assert.equal(r.args.pack.id, 'ai-diffusion-2025');
  }
  const bad = parse(['f', '--licences', 'strict']);
  assert.equal(bad.args, null);
  assert.match(bad.err, /--licences must be one of verify-if-known, registered-only \(got "strict"\)/);
});
