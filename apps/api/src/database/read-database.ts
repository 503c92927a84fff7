import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { pgPoolConfig, type DatabaseSettings } from '@app/config';
import { installExactNumericParsers } from '@app/persistence';
import { createHash } from 'node:crypto';
import { Client, Pool, PoolConfig, QueryResultRow } from 'pg';

export interface Queryable {
  query<T extends QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface ReadDatabaseOptions {
  database: DatabaseSettings;
  statementTimeoutMs: number;
}

// The API's only way to PostgreSQL. It never writes the ledger: every transaction it opens is READ ONLY, and
// each statement is bounded by a timeout so a slow query cannot pile up connections under load.
@Injectable()
export class ReadDatabase implements Queryable, OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly clientConfig: PoolConfig;
  private readonly statementNames = new Map<string, string>();
  private readonly statementNamesMax = 1_000;

  constructor(options: ReadDatabaseOptions) {
    installExactNumericParsers();
    const { max, ...clientConfig } = pgPoolConfig({ database: options.database });
    this.clientConfig = { ...clientConfig, statement_timeout: options.statementTimeoutMs, application_name: 'ledger-api' };
    this.pool = new Pool({ ...this.clientConfig, max });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  // Statements outside transactions are prepared (named after their text) on each pooled connection: the hot read
  // paths then skip parsing and planning in Postgres. The set of statement texts is small and fixed by the code.
  async query<T extends QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    let name = this.statementNames.get(sql);
    if (name === undefined) {
      name = `api_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
      if (this.statementNames.size < this.statementNamesMax) this.statementNames.set(sql, name);
    }
    const result = await this.pool.query<T>({ name, text: sql, values: params });
    return result.rows;
  }

  // Runs several reads against one consistent snapshot of the ledger (REPEATABLE READ, READ ONLY): the database
  // itself refuses any write attempted inside.
  async snapshot<T>(work: (db: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const db: Queryable = {
        query: async <R extends QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<R>(sql, params)).rows,
      };
      const result = await work(db);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  // A dedicated connection (outside the pool) for LISTEN, which must stay open for the life of the app.
  newListenerClient(): Client {
    return new Client({ ...this.clientConfig, statement_timeout: undefined });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
