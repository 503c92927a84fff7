import {
  brokerListField,
  choiceField,
  deepFreeze,
  described,
  Env,
  EnvField,
  flagField,
  integerField,
  optionalField,
  portField,
  postgresUrlField,
  readFields,
  textField,
} from './env-field';
import { ConfigError } from './config.error';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export const SIGNATURE_ENFORCEMENTS = ['required', 'optional'] as const;
export type SignatureEnforcementSetting = (typeof SIGNATURE_ENFORCEMENTS)[number];

// Signed events (docs/signatures.md): whether every event must be signed, and the file of the regulator's trust
// anchors ([{"keyId":"regulator/...","publicKey":"..."}]). The app reads and checks the file at start.
export interface SignatureSettings {
  enforcement: SignatureEnforcementSetting;
  trustedKeysFile: string | null;
}
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];
// How a LICENSE shipment whose ref names no issued licence is judged (docs/licences.md).
export const LICENCE_SETTINGS = ['verify-if-known', 'registered-only'] as const;
export type LicenceSettingValue = (typeof LICENCE_SETTINGS)[number];

export interface KafkaSettings {
  brokers: readonly string[];
  clientId: string;
  ssl: boolean;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
}

export interface DatabaseSettings {
  url: string;
  ssl: boolean;
  poolSizeMax: number;
}

export interface CommonSettings {
  kafka: KafkaSettings;
  database: DatabaseSettings;
  policyPack: string;
  // A policy timeline (each event judged by the pack in force at its occurredAt); null = POLICY_PACK judges every event.
  policyTimeline: string | null;
  licences: LicenceSettingValue;
  logLevel: LogLevel;
}

export interface LedgerSettings extends CommonSettings {
  signatures: SignatureSettings;
  groupId: string;
  batchSizeMax: number;
  httpPort: number;
  origin: string;
  checkpointKeyFile: string | null;
  checkpointKeyId: string;
  checkpointEveryEntries: number;
  checkpointEveryMs: number;
}

export interface RelaySettings extends CommonSettings {
  httpPort: number;
  pollIntervalMs: number;
  batchSizeMax: number;
}

export interface ApiSettings extends CommonSettings {
  signatures: SignatureSettings;
  port: number;
  alertPollIntervalMs: number;
  statementTimeoutMs: number;
  // Live alert streams: how often their keys are re-read (a revoked key's streams end within this), and how many
  // one key may hold open on one instance.
  streamKeyRecheckIntervalMs: number;
  streamsPerKeyMax: number;
  // An event recorded more than this many hours after its occurredAt counts as reported late (GET /reporting-delays).
  reportingDelayThresholdHours: number;
  // The ledger's Ed25519 public key (PEM or base64url of the raw 32 bytes), served at GET /checkpoints/key for the
  // dashboard's in-browser proof check; null: not served.
  ledgerPublicKeyFile: string | null;
}

export const API_STREAM_DEFAULTS = { streamKeyRecheckIntervalMs: 15_000, streamsPerKeyMax: 5 } as const;

export interface CliSettings extends CommonSettings {
  // The regulator's trust anchors the ledger uses (`ledger rejudge` judges with them unless told another file).
  trustedKeysFile: string | null;
}

export type AppName = 'ledger' | 'relay' | 'api' | 'cli';

const NAME = /^[A-Za-z0-9._-]{1,255}$/;
const NAME_EXPECTED = 'letters, digits, dot, dash or underscore (1..255)';
const NAME_OR_SLASH = /^[A-Za-z0-9._-]{1,64}(\/[A-Za-z0-9._-]{1,64})?$/;
const NAME_OR_SLASH_EXPECTED = 'a name, or owner/name (letters, digits, dot, dash or underscore)';

function kafkaFields(clientId: string) {
  return {
    brokers: described(brokerListField('KAFKA_BROKERS', ['127.0.0.1:9092']), 'Kafka bootstrap servers the app connects to.'),
    clientId: described(textField('KAFKA_CLIENT_ID', clientId, NAME, NAME_EXPECTED), "Client id the app gives Kafka (seen in the broker's logs, metrics and quotas)."),
    ssl: described(flagField('KAFKA_SSL', false), 'Connect to Kafka over TLS.'),
    saslMechanism: described(
      optionalField(choiceField('KAFKA_SASL_MECHANISM', SASL_MECHANISMS, undefined)),
      'SASL mechanism for Kafka authentication; needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD. Unset: no SASL.',
    ),
    saslUsername: described(optionalField(textField('KAFKA_SASL_USERNAME', undefined)), 'SASL user name; only with KAFKA_SASL_MECHANISM.'),
    saslPassword: described(
      optionalField(textField('KAFKA_SASL_PASSWORD', undefined, /^.{1,1024}$/, 'a non-empty string', true)),
      'SASL password; only with KAFKA_SASL_MECHANISM. A secret: never echoed in error messages.',
    ),
  };
}

// Each app connects as its own least-privilege role (scripts/pg.sh makes them; docs/operations.md): the ledger
// writes, the relay marks alerts and checkpoints published, the API reads; the CLI runs the migrations as the owner.
const DATABASE_ROLE: Record<AppName, string> = { ledger: 'ledger_writer', relay: 'ledger_relay', api: 'ledger_reader', cli: 'ledger_owner' };

function databaseFields(app: AppName, poolSizeMax: number) {
  return {
    url: described(
      postgresUrlField('DATABASE_URL', `postgres://${DATABASE_ROLE[app]}@127.0.0.1:5432/ledger`),
      "PostgreSQL database of the ledger, as the app's own role. It may carry the password, so it is never echoed in error messages.",
    ),
    ssl: described(flagField('DATABASE_SSL', false), "Connect to PostgreSQL over TLS, verifying the server's certificate."),
    poolSizeMax: described(integerField('DATABASE_POOL_SIZE_MAX', 1, 200, poolSizeMax), 'Most connections the app keeps open to PostgreSQL.'),
  };
}

function commonFields() {
  return {
    policyPack: described(
      textField('POLICY_PACK', 'ai-diffusion-2025', /^[a-z0-9][a-z0-9._-]{0,99}$/, 'a policy pack id (lower-case letters, digits, dot, dash)'),
      'Policy pack every event is judged under: the id of a pack in libs/policy/src/packs/.',
    ),
    policyTimeline: described(
      optionalField(textField('POLICY_TIMELINE', undefined, /^[a-z0-9][a-z0-9-]{0,63}$/, 'a policy timeline id (lower-case letters, digits, dash), e.g. us-actual')),
      'Policy timeline: when set, each event is judged by the pack in force at its occurredAt (libs/policy/src/timelines/; docs/timelines.md) instead of POLICY_PACK.',
    ),
    licences: described(
      choiceField('POLICY_LICENCES', LICENCE_SETTINGS, 'verify-if-known'),
      'How a LICENSE shipment whose ref names no issued licence is judged: verify-if-known (as before) or registered-only (UNAUTHORIZED); docs/licences.md.',
    ),
    logLevel: described(choiceField('LOG_LEVEL', LOG_LEVELS, 'info'), 'Lowest level of the JSON log lines the app writes.'),
  };
}

function signatureFields() {
  return {
    enforcement: described(
      choiceField('SIGNATURES', SIGNATURE_ENFORCEMENTS, 'required'),
      'Whether every input event must be signed (`required`) or unsigned events are judged as before (`optional`); a present signature is always verified (docs/signatures.md).',
    ),
    trustedKeysFile: described(
      optionalField(textField('TRUSTED_KEYS_FILE', undefined, /^.{1,4096}$/, 'a file path')),
      'JSON file of the regulator\'s trust anchors, [{"keyId":"regulator/...","publicKey":"..."}]; required when SIGNATURES=required (the CLI\'s rejudge uses it too).',
    ),
  };
}

// The ledger judges, and the API pre-clears with the same rules; `required` without anchors would refuse every
// policy event, so it is a configuration error.
function signatureSettings(env: Env, problems: string[]): SignatureSettings {
  const s = readFields(env, signatureFields(), problems);
  if (s.enforcement === 'required' && s.trustedKeysFile === null) {
    problems.push('TRUSTED_KEYS_FILE is required when SIGNATURES=required (the regulator\'s trust anchors; see docs/signatures.md)');
  }
  return s;
}

const SIGNING_APPS: readonly AppName[] = ['ledger', 'api'];

// Whole hours up to a week, whole days beyond: the bucket bounds of the reporting-delay histogram, so that the count
// of events later than the threshold is exact.
function delayThresholdField(): EnvField<number> {
  const hours = integerField('API_REPORTING_DELAY_THRESHOLD_HOURS', 1, 87_600, 72);
  return {
    ...hours,
    expected: 'whole hours 1..168, or a multiple of 24 up to 87600',
    parse: (raw) => {
      const value = hours.parse(raw);
      return value !== undefined && (value <= 168 || value % 24 === 0) ? value : undefined;
    },
  };
}

// Per-app fields beyond the common ones. Defaults are written here, once, and nowhere else.
function appFields(app: AppName): Record<string, EnvField<unknown>> {
  switch (app) {
    case 'ledger':
      return {
        groupId: described(textField('LEDGER_GROUP_ID', 'ledger', NAME, NAME_EXPECTED), 'Kafka consumer group of the ledger; the instances of one group share the partitions.'),
        // Large batches are what the ledger's throughput rests on: one transaction and one ledger-head lock per
        // batch, so the fixed cost of each is shared by more events.
        batchSizeMax: described(integerField('LEDGER_BATCH_SIZE_MAX', 1, 100_000, 10_000), 'Most events judged and stored in one Postgres transaction.'),
        httpPort: described(portField('LEDGER_HTTP_PORT', 3001), "Port of the ledger's health probes and Prometheus metrics."),
        origin: described(
          textField('LEDGER_ORIGIN', 'compute-allocation-ledger', NAME, NAME_EXPECTED),
          "The ledger's name in its signed checkpoints, so a checkpoint of one deployment cannot pass for another's.",
        ),
        checkpointKeyFile: described(
          optionalField(textField('LEDGER_CHECKPOINT_KEY_FILE', undefined)),
          "Path of the ledger's Ed25519 private key (PKCS#8 PEM) that signs checkpoints of the Merkle tree. Unset: the tree is kept but no checkpoint is signed.",
        ),
        checkpointKeyId: described(textField('LEDGER_CHECKPOINT_KEY_ID', 'ledger/1', NAME_OR_SLASH, NAME_OR_SLASH_EXPECTED), 'Key id written into each checkpoint, so verifiers know which ledger key to use.'),
        checkpointEveryEntries: described(
          integerField('LEDGER_CHECKPOINT_EVERY_ENTRIES', 1, 100_000_000, 10_000),
          'A checkpoint is signed by the batch that takes the tree past each multiple of this many entries.',
        ),
        checkpointEveryMs: described(
          integerField('LEDGER_CHECKPOINT_EVERY_MS', 1_000, 86_400_000, 60_000),
          'A checkpoint is also signed by the first batch after this long without one.',
        ),
      };
    case 'relay':
      return {
        httpPort: described(portField('RELAY_HTTP_PORT', 3002), "Port of the relay's health probes and Prometheus metrics."),
        pollIntervalMs: described(integerField('RELAY_POLL_INTERVAL_MS', 10, 60_000, 200), 'How often the relay looks at the alert outbox when no NOTIFY woke it.'),
        batchSizeMax: described(integerField('RELAY_BATCH_SIZE_MAX', 1, 10_000, 500), 'Most alerts the relay publishes in one produce request.'),
      };
    case 'api':
      return {
        port: described(portField('API_PORT', 3000), 'Port of the HTTP API, the dashboard, the health probes and Prometheus metrics.'),
        alertPollIntervalMs: described(
          integerField('API_ALERT_POLL_INTERVAL_MS', 50, 60_000, 500),
          'How often the live alert stream (SSE) reads the alerts table when no NOTIFY woke it.',
        ),
        statementTimeoutMs: described(integerField('API_STATEMENT_TIMEOUT_MS', 100, 600_000, 5_000), 'Longest one API query may run before Postgres cancels it.'),
        streamKeyRecheckIntervalMs: described(
          integerField('API_STREAM_KEY_RECHECK_INTERVAL_MS', 100, 30_000, API_STREAM_DEFAULTS.streamKeyRecheckIntervalMs),
          "How often the keys of open alert streams are re-read from the table; a revoked key's streams end within this.",
        ),
        streamsPerKeyMax: described(
          integerField('API_STREAMS_PER_KEY_MAX', 1, 1_000, API_STREAM_DEFAULTS.streamsPerKeyMax),
          'Most alert streams one API key may hold open on one API instance; the next is refused with 429.',
        ),
        reportingDelayThresholdHours: described(
          delayThresholdField(),
          'An event recorded more than this many hours after its occurredAt counts as reported late (GET /reporting-delays, ledger_reporting_delay_over_threshold_events).',
        ),
        ledgerPublicKeyFile: described(
          optionalField(textField('API_LEDGER_PUBLIC_KEY_FILE', undefined)),
          "Path of the ledger's Ed25519 public key (SPKI PEM, or the base64url of its 32 raw bytes), served at GET /checkpoints/key so the dashboard can check proofs in the browser. Unset: the route answers 404 and the dashboard checks everything but the signature.",
        ),
      };
    case 'cli':
      return { trustedKeysFile: signatureFields().trustedKeysFile };
  }
}

// The ledger writes in large transactions with few connections; the API serves many small concurrent reads.
const POOL_SIZE_MAX: Record<AppName, number> = { ledger: 10, relay: 4, api: 20, cli: 4 };

function kafkaSettings(env: Env, clientId: string, problems: string[]): KafkaSettings {
  const k = readFields(env, kafkaFields(clientId), problems);
  let sasl: KafkaSettings['sasl'] = null;
  if (k.saslMechanism !== null) {
    if (k.saslUsername === null) problems.push(`KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set`);
    if (k.saslPassword === null) problems.push(`KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set`);
    sasl = { mechanism: k.saslMechanism, username: k.saslUsername ?? '', password: k.saslPassword ?? '' };
  } else if (k.saslUsername !== null || k.saslPassword !== null) {
    problems.push(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join('|')} when a SASL username or password is set`);
  }
  return { brokers: k.brokers, clientId: k.clientId, ssl: k.ssl, sasl };
}

function load<T>(app: AppName, env: Env): T {
  const problems: string[] = [];
  const settings = {
    kafka: kafkaSettings(env, app, problems),
    database: readFields(env, databaseFields(app, POOL_SIZE_MAX[app]), problems),
    ...readFields(env, commonFields(), problems),
    ...readFields(env, appFields(app), problems),
    ...(SIGNING_APPS.includes(app) ? { signatures: signatureSettings(env, problems) } : {}),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(settings) as T;
}

export function loadLedgerSettings(env: Env = process.env): Readonly<LedgerSettings> {
  return load<LedgerSettings>('ledger', env);
}

export function loadRelaySettings(env: Env = process.env): Readonly<RelaySettings> {
  return load<RelaySettings>('relay', env);
}

export function loadApiSettings(env: Env = process.env): Readonly<ApiSettings> {
  return load<ApiSettings>('api', env);
}

export function loadCliSettings(env: Env = process.env): Readonly<CliSettings> {
  return load<CliSettings>('cli', env);
}

// For tools and tests that need one part only.
export function loadKafkaSettings(env: Env = process.env, clientId = 'tools'): Readonly<KafkaSettings> {
  const problems: string[] = [];
  const kafka = kafkaSettings(env, clientId, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(kafka);
}

export function loadDatabaseSettings(env: Env = process.env): Readonly<DatabaseSettings> {
  const problems: string[] = [];
  const database = readFields(env, databaseFields('cli', POOL_SIZE_MAX.cli), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(database);
}

export interface SettingReference {
  key: string;
  expected: string;
  // As it would be written in the environment; null when the setting is optional and unset by default.
  default: string | null;
  secret: boolean;
  // What it does (docs/configuration.md); empty when the declaration gives none.
  description: string;
}

// Every key an app accepts, with what it expects and its default: the configuration reference for docs,
// manifests and the tests that check them.
export function settingsReference(app: AppName): SettingReference[] {
  const groups: Record<string, EnvField<unknown>>[] = [
    kafkaFields(app),
    databaseFields(app, POOL_SIZE_MAX[app]),
    commonFields(),
    appFields(app),
    ...(SIGNING_APPS.includes(app) ? [signatureFields()] : []),
  ];
  return groups.flatMap((fields) =>
    Object.values(fields).map((field) => ({
      key: field.key,
      expected: field.expected,
      default: field.fallback === undefined || field.fallback === null ? null : Array.isArray(field.fallback) ? field.fallback.join(',') : String(field.fallback),
      secret: field.secret === true,
      description: field.description ?? '',
    })),
  );
}

// Entry points call this instead of the loader directly: a bad configuration ends the process with the one
// message and the conventional EX_CONFIG status, not with a stack trace.
export function settingsOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exit(78);
  }
}
