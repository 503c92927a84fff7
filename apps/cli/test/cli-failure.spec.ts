// The codes the CLI gives failures outside it, from the errors the drivers throw (shapes as pg, TypeORM, Node's net
// and kafkajs make them); anything else is UNEXPECTED, with its message.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classifyFailure, describeFailure } from '../src/support/cli-failure';

function error(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

describe('CLI failures', () => {
  it('reads PostgreSQL states through TypeORM wrappers and causes', () => {
    const denied = error('QueryFailedError', 'permission denied for table ledger_entries', { driverError: { code: '42501', message: 'permission denied for table ledger_entries' } });
    assert.equal(classifyFailure(denied)?.code, 'DATABASE_PERMISSION_DENIED');
    assert.equal(classifyFailure(error('error', 'password authentication failed for user "x"', { code: '28P01' }))?.code, 'DATABASE_LOGIN_REFUSED');
    const refused = new AggregateError([error('Error', 'connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED', address: '::1', port: 5432 })], '');
    assert.equal(classifyFailure(refused)?.code, 'DATABASE_UNREACHABLE');
    assert.match(classifyFailure(refused)!.message, /at ::1:5432/);
  });

  it('tells Kafka unreachable from Kafka refusing the login', () => {
    assert.equal(classifyFailure(error('KafkaJSNumberOfRetriesExceeded', 'Connection error', { cause: error('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED') }))?.code, 'KAFKA_UNAVAILABLE');
    assert.equal(classifyFailure(error('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA512 authentication failed'))?.code, 'KAFKA_LOGIN_REFUSED');
    assert.equal(classifyFailure(error('KafkaJSProtocolError', 'Topic authorization failed'))?.code, 'KAFKA_PERMISSION_DENIED');
  });

  it('says UNEXPECTED with the message for anything else, and the stack only when asked', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'seq')");
    assert.equal(classifyFailure(bug), null);
    assert.equal(describeFailure(bug, false), "ledger: UNEXPECTED: Cannot read properties of undefined (reading 'seq') (LOG_LEVEL=debug prints the stack)\n");
    assert.match(describeFailure(bug, true), /^ledger: UNEXPECTED: TypeError: Cannot read[^\n]*\n\s+at /);
  });
});
