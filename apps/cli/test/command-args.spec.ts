// The one argument reader every `ledger` command uses: strict flags, typed numbers with bounds, positionals counted,
// and a usage error that names what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpRequest, parseCommandArgs, UsageError } from '../src/support/command-args';
import { loadPackOrUsageError, PACK_FLAG } from '../src/support/judging-args';

const SPEC = {
  name: 'demo',
  usage: 'usage: ledger demo FILE [--events N] [--rate R] [--pack ID] [--drop]',
  flags: {
    events: { type: 'integer', default: 1000, min: 1, max: 100 },
    rate: { type: 'decimal', min: 0.5, max: 10 },
    pack: PACK_FLAG,
    drop: { type: 'boolean' },
  },
  positionals: ['FILE'],
  positionalsMin: 1,
} as const;

function problem(argv: string[]): string {
  try {
    parseCommandArgs(SPEC, argv);
  } catch (e) {
    assert.ok(e instanceof UsageError, `a usage error for ${argv.join(' ')}, not ${String(e)}`);
    assert.equal(e.usage, SPEC.usage);
    assert.equal(e.message, `ledger demo: ${e.problem}`);
    return e.problem;
  }
  assert.fail(`accepted: ${argv.join(' ')}`);
}

test('typed values in either form, defaults where a flag is absent, positionals in order', () => {
  const a = parseCommandArgs(SPEC, ['f.ndjson', '--events', '7', '--rate=2.5', '--pack', 'china-case-by-case-2026', '--drop']);
  assert.deepEqual(a.flags, { events: 7, rate: 2.5, pack: 'china-case-by-case-2026', drop: true });
  assert.deepEqual(a.positionals, ['f.ndjson']);
  const b = parseCommandArgs(SPEC, ['f.ndjson']);
  assert.deepEqual(b.flags, { events: 1000, rate: undefined, pack: undefined, drop: false });
});

test('an unknown or misspelt flag is named, with the flag it was probably meant to be', () => {
  assert.equal(problem(['f', '--evnets', '5']), 'unknown flag --evnets (did you mean --events?)');
  assert.equal(problem(['f', '--fast']), 'unknown flag --fast');
  assert.equal(problem(['f', '-x']), 'unknown flag -x');
});

test('a flag without its value is named, also when the next word is another flag', () => {
  assert.equal(problem(['f', '--events']), '--events needs a value');
  assert.equal(problem(['f', '--events', '--drop']), '--events needs a value');
  assert.equal(problem(['f', '--drop=yes']), '--drop takes no value');
});

test('a number must be a number of its kind within its bounds; the word given is quoted', () => {
  assert.equal(problem(['f', '--events', 'five']), '--events must be an integer from 1 to 100, not "five"');
  assert.equal(problem(['f', '--events', '2.5']), '--events must be an integer from 1 to 100, not "2.5"');
  assert.equal(problem(['f', '--events', '1e2']), '--events must be an integer from 1 to 100, not "1e2"');
  assert.equal(problem(['f', '--events=0']), '--events must be an integer from 1 to 100, not "0"');
  assert.equal(problem(['f', '--events=101']), '--events must be an integer from 1 to 100, not "101"');
  assert.equal(problem(['f', '--events', '']), '--events must be an integer from 1 to 100, not ""');
  assert.equal(problem(['f', '--rate', '0.1']), '--rate must be a number from 0.5 to 10, not "0.1"');
  assert.equal(problem(['f', '--rate', 'Infinity']), '--rate must be a number from 0.5 to 10, not "Infinity"');
  assert.equal(problem(['f', '--pack', 'Bad Pack']), '--pack must be a policy pack id (lower-case letters, digits, dot, dash), not "Bad Pack"');
});

test('positionals: a missing one is named, an extra one is refused', () => {
  assert.equal(problem([]), 'missing FILE');
  assert.equal(problem(['--events', '5']), 'missing FILE');
  assert.equal(problem(['a', 'b']), 'unexpected argument "b"');
});

test('-h and --help ask for the usage whatever else is there', () => {
  for (const argv of [['-h'], ['--help'], ['f', '--events', '3', '--help']]) {
    assert.throws(() => parseCommandArgs(SPEC, argv), (e: unknown) => e instanceof HelpRequest && e.usage === SPEC.usage);
  }
});

test('an unknown pack is a usage error of the command', () => {
  assert.equal(loadPackOrUsageError(SPEC, 'ai-diffusion-2025').id, 'ai-diffusion-2025');
  assert.throws(
    () => loadPackOrUsageError(SPEC, 'nope'),
    (e: unknown) => e instanceof UsageError && e.command === 'demo' && /^policy pack "nope" is invalid/.test(e.problem),
  );
});
