import type { OnApplicationShutdown } from '@nestjs/common';
import type { Admin } from 'kafkajs';

// A readiness check resolves when its dependency answers and rejects (with a reason) when it does not.
export type HealthCheck = () => Promise<unknown>;
export type HealthChecks = Readonly<Record<string, HealthCheck>>;

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

// Anything with query(): a TypeORM DataSource, a pg Pool or Client.
export function postgresCheck(db: { query(sql: string): Promise<unknown> }): HealthCheck {
  return () => db.query('select 1');
}

// Connects the admin on first use (and again after a failure), then asks the cluster to describe itself.
export function kafkaCheck(admin: Pick<Admin, 'connect' | 'describeCluster'>): HealthCheck {
  let connected: Promise<void> | null = null;
  return async () => {
    connected ??= admin.connect().catch((error: unknown) => {
      connected = null;
      throw error;
    });
    await connected;
    return admin.describeCluster();
  };
}

// kafkaCheck together with the admin client it owns, for use as a provider: the admin connects on the first check
// and Nest's onApplicationShutdown disconnects it, so a stopping service leaves no broker connection behind.
export class KafkaHealthCheck implements OnApplicationShutdown {
  readonly check: HealthCheck;

  constructor(private readonly admin: Pick<Admin, 'connect' | 'describeCluster' | 'disconnect'>) {
    this.check = kafkaCheck(admin);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
