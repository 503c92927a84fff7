import { errorText, type StructuredLogger } from './structured-logger';

export interface RetryPolicy {
  attemptsMax: number;
  delayMsMin: number;
  delayMsMax: number;
}

// Transient failures (database down, broker restarting) are retried with exponential backoff, bounded in delay
// and in attempts, each one logged. After the last attempt the error propagates: the service stops and its
// supervisor restarts it, which resumes from the offsets stored in Postgres.
export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  logger: StructuredLogger,
  work: () => Promise<T>,
  shouldStop: () => boolean = () => false,
  onRetry: () => void = () => undefined,
): Promise<T> {
  let delayMs = policy.delayMsMin;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= policy.attemptsMax || shouldStop()) throw err;
      onRetry();
      logger.warn({ msg: `${what} failed; retrying`, attempt, attemptsMax: policy.attemptsMax, delayMs, error: errorText(err) });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, policy.delayMsMax);
    }
  }
}
