import { Inject, Injectable } from '@nestjs/common';
import { HEALTH_CHECKS, HealthChecks } from './health-checks';

export interface Readiness {
  status: 'ok' | 'unavailable';
  // 'up', or 'down: <reason>' for each named check.
  checks: Record<string, string>;
}

// A check that neither answers nor fails within this time counts as down: a readiness probe must not hang.
export const CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthChecks) {}

  async readiness(): Promise<Readiness> {
    const entries = await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, result]) => result === 'up') ? 'ok' : 'unavailable';
    return { status, checks };
  }

  private async run(check: () => Promise<unknown>): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([check(), timeout]);
      return 'up';
    } catch (error) {
      return `down: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      clearTimeout(timer);
    }
  }
}
