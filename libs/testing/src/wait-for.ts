export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  // Said in the error when the deadline passes, e.g. "the alert to reach compliance.alerts.v1".
  what?: string;
}

// Polls `probe` until it returns something other than undefined, null or false, and returns that. A probe that
// throws is retried too; its last error is reported if the deadline passes. Tests use this instead of sleeping.
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'the condition' }: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
