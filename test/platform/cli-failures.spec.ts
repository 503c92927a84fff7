// When the database is not there, not reachable or not migrated, an operator running `ledger verify` reads one line
// with a stable code and what to do, not a stack trace; and the exit status stays 1 (docs/cli.md).
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { cli, createTestDatabase, type TestDatabase } from '@app/testing';

const STACK_LINE = /^\s+at /m;

describe('the CLI when PostgreSQL fails it', () => {
  let empty: TestDatabase;

  before(async () => {
    empty = await createTestDatabase('cli_failures');
  });
  after(async () => empty?.drop());

  it('names an unreachable server with DATABASE_UNREACHABLE and where it looked', async () => {
    const r = await cli(['verify'], { DATABASE_URL: 'postgres://ledger_reader@127.0.0.1:1/ledger', LOG_LEVEL: 'warn' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ledger: DATABASE_UNREACHABLE: PostgreSQL could not be reached at 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    assert.doesNotMatch(r.stderr, STACK_LINE);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('names a database that does not exist with DATABASE_MISSING', async () => {
    const url = new URL(empty.urlAs('ledger_reader'));
    url.pathname = `/${empty.name}_not_there`;
    const r = await cli(['verify'], { DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ledger: DATABASE_MISSING: PostgreSQL: database ".*_not_there" does not exist/);
    assert.doesNotMatch(r.stderr, STACK_LINE);
  });

  it('names a database without the ledger tables with DATABASE_NOT_MIGRATED and the command to run', async () => {
    const r = await cli(['verify'], { DATABASE_URL: empty.urlAs('ledger_reader'), LOG_LEVEL: 'warn' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ledger: DATABASE_NOT_MIGRATED: PostgreSQL: relation ".*" does not exist \(run: npm run -s ledger -- migrate\)/);
    assert.doesNotMatch(r.stderr, STACK_LINE);
  });

  it('prints the stack as well with LOG_LEVEL=debug, for a bug report', async () => {
    const r = await cli(['verify'], { DATABASE_URL: 'postgres://ledger_reader@127.0.0.1:1/ledger', LOG_LEVEL: 'debug' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ledger: DATABASE_UNREACHABLE: /);
    assert.match(r.stderr, STACK_LINE);
  });
});
