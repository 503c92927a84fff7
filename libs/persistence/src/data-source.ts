import { DataSource } from 'typeorm';
import { LEDGER_MIGRATIONS } from './migrations';
import { installExactNumericParsers } from './pg-types';

export interface DataSourceOptions {
  ssl?: boolean;
  poolSizeMax?: number;
  applicationName?: string;
}

// The schema belongs to the migrations alone (synchronize: false); queries are plain SQL, so no entities are
// registered.
export function createDataSource(url: string, opts: DataSourceOptions = {}): DataSource {
  installExactNumericParsers();
  return new DataSource({
    type: 'postgres',
    url,
    ssl: opts.ssl ? { rejectUnauthorized: true } : false,
    synchronize: false,
    migrationsRun: false,
    migrations: [...LEDGER_MIGRATIONS],
    migrationsTableName: 'schema_migrations',
    entities: [],
    applicationName: opts.applicationName ?? 'ledger',
    extra: { max: opts.poolSizeMax ?? 10 },
  });
}
