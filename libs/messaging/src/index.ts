export * from './structured-logger';
export * from './retry';
export * from './batch-consumer';
export * from './alert-relay';
export * from './event-routing';
export * from './batch-consumer.server';
export * from './rethrow-rpc-errors.filter';
