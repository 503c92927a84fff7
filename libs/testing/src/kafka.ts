import { Kafka } from 'kafkajs';
import { kafkaClientConfig, loadKafkaSettings } from '@app/config';

// The brokers the tests talk to: KAFKA_BROKERS, or the local broker that scripts/kafka.sh starts.
export function kafkaBrokers(): string[] {
  return [...loadKafkaSettings().brokers];
}

export function testKafka(clientId = 'test'): Kafka {
  return new Kafka(kafkaClientConfig({ kafka: { ...loadKafkaSettings(), clientId }, logLevel: 'error' }));
}
