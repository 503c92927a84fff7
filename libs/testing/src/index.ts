// What the specs (test/, the libs' and apps' own) and the benchmarks share: databases and Kafka clients of their own,
// the services and the CLI as child processes, and the generated feed. Never imported by a service.
export { cli, CLI, generateFeed, ROOT } from './cli-process';
export { testKafka } from './kafka';
export { caughtUp, inputEndOffsets, startAtEndOfTopics } from './kafka-offsets';
export { countRows, createLedgerDatabase, sourceRecords } from './ledger-database';
export type { LedgerDatabase } from './ledger-database';
export { randomPort, serviceMetrics, startService } from './services';
export type { ServiceProcess } from './services';
export { asRole, createTestDatabase } from './test-database';
export type { LedgerRole, TestDatabase } from './test-database';
export { uniqueName } from './unique-name';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
