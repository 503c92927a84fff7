import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigError,
  kafkaClientConfig,
  loadApiSettings,
  loadCliSettings,
  loadLedgerSettings,
  loadRelaySettings,
  pgPoolConfig,
  settingsReference,
  typeOrmDatabaseConfig,
} from '@app/config';

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the settings to be rejected');
}

describe('settings', () => {
  it('runs every app on an empty environment with the local defaults (given the ledger and API their trust anchors)', () => {
    const anchors = { TRUSTED_KEYS_FILE: '.run/keys/trusted-keys.json' };
    const ledger = loadLedgerSettings(anchors);
    assert.deepEqual(ledger.signatures, { enforcement: 'required', trustedKeysFile: '.run/keys/trusted-keys.json' });
    assert.deepEqual(ledger.kafka, { brokers: ['127.0.0.1:9092'], clientId: 'ledger', ssl: false, sasl: null });
    // Each app as its own least-privilege role; never the superuser.
    assert.equal(ledger.database.url, 'postgres://ledger_writer@127.0.0.1:5432/ledger');
    assert.equal(loadRelaySettings({}).database.url, 'postgres://ledger_relay@127.0.0.1:5432/ledger');
    assert.equal(loadApiSettings(anchors).database.url, 'postgres://ledger_reader@127.0.0.1:5432/ledger');
    assert.equal(ledger.groupId, 'ledger');
    assert.equal(ledger.batchSizeMax, 10000);
    assert.equal(ledger.httpPort, 3001);
    assert.equal(ledger.policyPack, 'ai-diffusion-2025');
    assert.equal(ledger.policyTimeline, null, 'no timeline unless one is set: the pack judges every event');
    assert.equal(ledger.logLevel, 'info');
    assert.equal(loadRelaySettings({}).httpPort, 3002);
    assert.equal(loadApiSettings(anchors).port, 3000);
    assert.equal(loadCliSettings({}).kafka.clientId, 'cli');
  });

  it('requires signatures by default, and then the trusted keys file; optional needs none', () => {
    for (const load of [loadLedgerSettings, loadApiSettings]) {
      const error = configError(() => load({}));
      assert.match(error.message, /TRUSTED_KEYS_FILE is required when SIGNATURES=required/);
      assert.deepEqual(load({ SIGNATURES: 'optional' }).signatures, { enforcement: 'optional', trustedKeysFile: null });
      assert.match(configError(() => load({ SIGNATURES: 'sometimes' })).message, /SIGNATURES must be one of required\|optional/);
    }
  });

  it('POLICY_TIMELINE names the timeline the services judge with; a malformed id is refused naming the key', () => {
    assert.equal(loadLedgerSettings({ POLICY_TIMELINE: 'us-actual', SIGNATURES: 'optional' }).policyTimeline, 'us-actual');
    assert.equal(loadApiSettings({ POLICY_TIMELINE: 'us-actual', SIGNATURES: 'optional' }).policyTimeline, 'us-actual');
    assert.match(configError(() => loadLedgerSettings({ POLICY_TIMELINE: 'US Actual', SIGNATURES: 'optional' })).message, /POLICY_TIMELINE/);
  });

  it('reads the values that are set and treats empty ones as unset', () => {
    const ledger = loadLedgerSettings({
      SIGNATURES: 'optional',
      KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092',
      LEDGER_BATCH_SIZE_MAX: '2000',
      LOG_LEVEL: 'DEBUG',
      KAFKA_SSL: 'true',
      LEDGER_GROUP_ID: '',
    });
    assert.deepEqual(ledger.kafka.brokers, ['kafka-0:9092', 'kafka-1:9092']);
    assert.equal(ledger.batchSizeMax, 2000);
    assert.equal(ledger.logLevel, 'debug');
    assert.equal(ledger.kafka.ssl, true);
    assert.equal(ledger.groupId, 'ledger');
  });

  it('names every bad key in one message, with what was expected and what was given', () => {
    const error = configError(() =>
      loadLedgerSettings({ LEDGER_BATCH_SIZE_MAX: 'abc', KAFKA_SASL_MECHANISM: 'x', LEDGER_HTTP_PORT: '70000', SIGNATURES: 'optional' }),
    );
    assert.equal(
      `${error.name}: ${error.message}`,
      'ConfigError: invalid settings: KAFKA_SASL_MECHANISM must be one of plain|scram-sha-256|scram-sha-512 (got "x"); ' +
        'LEDGER_BATCH_SIZE_MAX must be an integer 1..100000 (got "abc"); LEDGER_HTTP_PORT must be a TCP port 1..65535 (got "70000")',
    );
    assert.equal(error.problems.length, 3);
  });

  it('rejects integers with fractions, signs out of range or trailing text', () => {
    for (const raw of ['1.5', '0', '-3', '12abc', '100001']) {
      const error = configError(() => loadLedgerSettings({ LEDGER_BATCH_SIZE_MAX: raw, SIGNATURES: 'optional' }));
      assert.match(error.message, /LEDGER_BATCH_SIZE_MAX must be an integer 1\.\.100000/);
    }
  });

  it('requires the SASL credentials together with the mechanism, and never echoes a secret', () => {
    const missing = configError(() => loadRelaySettings({ KAFKA_SASL_MECHANISM: 'scram-sha-512' }));
    assert.deepEqual(missing.problems, [
      'KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set',
      'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set',
    ]);
    const orphan = configError(() => loadRelaySettings({ KAFKA_SASL_PASSWORD: 'hunter2' }));
    assert.match(orphan.message, /KAFKA_SASL_MECHANISM must be one of/);
    const badUrl = configError(() => loadApiSettings({ DATABASE_URL: 'mysql://root:hunter2@db/x' }));
    assert.ok(!badUrl.message.includes('hunter2'), badUrl.message);
    assert.match(badUrl.message, /DATABASE_URL must be a postgres:\/\/.* \(got a value of 25 characters\)/);
  });

  it('returns frozen settings', () => {
    const api = loadApiSettings({ SIGNATURES: 'optional' });
    assert.ok(Object.isFrozen(api) && Object.isFrozen(api.kafka) && Object.isFrozen(api.kafka.brokers));
    assert.throws(() => {
      (api as { port: number }).port = 1;
    }, TypeError);
  });

  it('builds kafkajs and database client options from the settings', () => {
    const settings = loadLedgerSettings({ SIGNATURES: 'optional',
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'ledger',
      KAFKA_SASL_PASSWORD: 'secret',
      KAFKA_SSL: 'yes',
      DATABASE_SSL: '1',
      DATABASE_URL: 'postgresql://app:pw@db.internal:6432/ledger',
    });
    const kafka = kafkaClientConfig(settings);
    assert.deepEqual(
      { brokers: kafka.brokers, clientId: kafka.clientId, ssl: kafka.ssl, sasl: kafka.sasl },
      {
        brokers: ['127.0.0.1:9092'],
        clientId: 'ledger',
        ssl: true,
        sasl: { mechanism: 'scram-sha-256', username: 'ledger', password: 'secret' },
      },
    );
    assert.deepEqual(typeOrmDatabaseConfig(settings), {
      type: 'postgres',
      url: 'postgresql://app:pw@db.internal:6432/ledger',
      ssl: { rejectUnauthorized: true },
      extra: { max: 10 },
    });
    assert.equal(pgPoolConfig(loadApiSettings({ SIGNATURES: 'optional' })).max, 20);
    assert.equal(kafkaClientConfig(loadCliSettings({})).sasl, undefined);
  });

  it('lists every key an app accepts with its default', () => {
    const keys = (app: Parameters<typeof settingsReference>[0]) => settingsReference(app).map((s) => s.key);
    assert.ok(keys('ledger').includes('LEDGER_BATCH_SIZE_MAX'));
    assert.ok(!keys('api').includes('LEDGER_BATCH_SIZE_MAX'));
    const api = new Map(settingsReference('api').map((s) => [s.key, s.default]));
    assert.equal(api.get('API_PORT'), '3000');
    assert.equal(api.get('KAFKA_BROKERS'), '127.0.0.1:9092');
    assert.equal(api.get('KAFKA_SASL_MECHANISM'), null);
  });
});
