export { kafkaBrokers, testKafka } from './kafka';
export { createTestDatabase } from './test-database';
export type { LedgerRole, TestDatabase } from './test-database';
export { uniqueName } from './unique-name';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
