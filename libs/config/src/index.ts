export { ConfigError } from './config.error';
export {
  API_STREAM_DEFAULTS,
  LOG_LEVELS,
  SASL_MECHANISMS,
  loadApiSettings,
  loadCliSettings,
  loadDatabaseSettings,
  loadKafkaSettings,
  loadLedgerSettings,
  loadRelaySettings,
  settingsOrExit,
  settingsReference,
} from './settings';
export type {
  ApiSettings,
  AppName,
  CliSettings,
  CommonSettings,
  DatabaseSettings,
  KafkaSettings,
  LedgerSettings,
  LogLevel,
  RelaySettings,
  SaslMechanism,
  SettingReference,
} from './settings';
export { kafkaClientConfig } from './kafka-client.config';
export { pgPoolConfig, typeOrmDatabaseConfig } from './database.config';
export { CLI_NODE_FLAGS, LEDGER_NODE_FLAGS } from './node-flags';
