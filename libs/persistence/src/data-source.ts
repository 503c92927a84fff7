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

// A service's pool, connected, from the validated database settings (libs/config's DatabaseSettings); the name is
// what Postgres shows in pg_stat_activity.
export function openDataSource(database: { url: string; ssl: boolean; poolSizeMax: number }, applicationName: string): Promise<DataSource> {
  return createDataSource(database.url, { ssl: database.ssl, poolSizeMax: database.poolSizeMax, applicationName }).initialize();
}
