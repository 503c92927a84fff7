import { Kafka } from 'kafkajs';
import { kafkaClientConfig, loadKafkaSettings } from '@app/config';

// A client of the brokers the tests talk to: KAFKA_BROKERS, or the local broker that scripts/kafka.sh starts.
export function testKafka(clientId = 'test'): Kafka {
  return new Kafka(kafkaClientConfig({ kafka: { ...loadKafkaSettings(), clientId }, logLevel: 'error' }));
}
