export * from './topics';
export * from './events';
export * from './batch-result';
export * from './canonical-json';
export * from './countries';
export * from './validate';
export * from './schemas';
export * from './schemas/common.schema';
export { expectedLines, forEachLine, readLineAt } from './ndjson-file';
