import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { CommonSettings, KafkaSettings, LogLevel } from './settings';

// kafkajs levels: NOTHING 0, ERROR 1, WARN 2, INFO 4, DEBUG 5. Its INFO is per-connection chatter, so each of our
// levels maps one step quieter.
const KAFKAJS_LOG_LEVEL: Record<LogLevel, number> = { fatal: 1, error: 1, warn: 2, info: 2, debug: 4, verbose: 5 };

export function kafkaClientConfig(settings: Pick<CommonSettings, 'kafka'> & Partial<Pick<CommonSettings, 'logLevel'>>): KafkaConfig {
  const kafka: KafkaSettings = settings.kafka;
  return {
    brokers: [...kafka.brokers],
    clientId: kafka.clientId,
    ssl: kafka.ssl,
    sasl: kafka.sasl === null ? undefined : ({ ...kafka.sasl } as SASLOptions),
    logLevel: KAFKAJS_LOG_LEVEL[settings.logLevel ?? 'info'],
  };
}
