import type { ClientConfig, PoolConfig } from 'pg';
import type { CommonSettings, DatabaseSettings } from './settings';

type DatabaseOf = Pick<CommonSettings, 'database'>;

function ssl(database: DatabaseSettings): { rejectUnauthorized: true } | false {
  return database.ssl ? { rejectUnauthorized: true } : false;
}

// Spread into a TypeORM DataSource's options (or pass url/ssl/poolSizeMax to createDataSource).
export function typeOrmDatabaseConfig(settings: DatabaseOf): {
  type: 'postgres';
  url: string;
  ssl: { rejectUnauthorized: true } | false;
  extra: { max: number };
} {
  const { database } = settings;
  return { type: 'postgres', url: database.url, ssl: ssl(database), extra: { max: database.poolSizeMax } };
}

// For a pg.Pool (or, without `max`, a pg.Client).
export function pgPoolConfig(settings: DatabaseOf): PoolConfig & ClientConfig {
  const { database } = settings;
  return { connectionString: database.url, ssl: ssl(database), max: database.poolSizeMax };
}
