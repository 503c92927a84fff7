import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonLogger } from '@app/observability';

function capture(level: 'info' | 'warn' | 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger({ level, fields: { app: 'ledger' }, write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('JSON logger', () => {
  it('writes one JSON object per line with level, app, context and the message fields', () => {
    const { logger, lines } = capture('info');
    logger.log({ msg: 'recorded', publisher: 'nvidia', eventId: 'e-1', movedTpp: 12n }, 'LedgerConsumer');
    logger.warn('slow batch');
    assert.equal(lines.length, 2);
    const { time, ...first } = lines[0];
    assert.match(String(time), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(first, { level: 'info', app: 'ledger', context: 'LedgerConsumer', msg: 'recorded', publisher: 'nvidia', eventId: 'e-1', movedTpp: '12' });
    assert.equal(lines[1].msg, 'slow batch');
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture('warn');
    logger.log('hidden');
    logger.debug('hidden');
    logger.error('shown');
    assert.deepEqual(lines.map((l) => l.level), ['error']);
    const verbose = capture('debug');
    verbose.logger.debug('shown');
    verbose.logger.verbose('hidden');
    assert.equal(verbose.lines.length, 1);
  });

  it("keeps the stack that Nest passes to error() apart from the context", () => {
    const { logger, lines } = capture('info');
    const error = new Error('boom');
    logger.error(error.message, error.stack, 'ExceptionHandler');
    assert.equal(lines[0].context, 'ExceptionHandler');
    assert.equal(lines[0].msg, 'boom');
    assert.match(String(lines[0].stack), /Error: boom\n\s+at /);
  });
});
