// When will an account reach its cap if it keeps growing at its recent rate? Pure arithmetic on integers so the
// answer is the same on every machine; the rate comes from the account's own entries, never the wall clock.
export const FORECAST_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
// The latest instant a JavaScript Date can hold (year 275760); a projection past it is "not in sight".
const DATE_MS_MAX = 8.64e15;

export type ForecastStatus = 'projected' | 'exhausted' | 'uncapped' | 'not-increasing' | 'no-entries' | 'beyond-horizon' | 'withheld';

export interface ExhaustionForecast {
  status: ForecastStatus;
  windowDays: number;
  windowFrom: string | null;
  windowTo: string | null;
  // Net TPP added in the window (entries with occurredAt in (windowTo - 30 days, windowTo]).
  windowDeltaTpp: bigint | null;
  ratePerDayTpp: number | null;
  projectedExhaustionAt: string | null;
}

export interface ForecastInput {
  usedTpp: bigint;
  capTpp: bigint | null;
  latestOccurredAtMs: number | null;
  windowDeltaTpp: bigint;
}

export function forecastExhaustion(input: ForecastInput): ExhaustionForecast {
  const windowMs = FORECAST_WINDOW_DAYS * DAY_MS;
  const base = {
    windowDays: FORECAST_WINDOW_DAYS,
    windowFrom: input.latestOccurredAtMs === null ? null : new Date(input.latestOccurredAtMs - windowMs).toISOString(),
    windowTo: input.latestOccurredAtMs === null ? null : new Date(input.latestOccurredAtMs).toISOString(),
    windowDeltaTpp: input.latestOccurredAtMs === null ? null : input.windowDeltaTpp,
    ratePerDayTpp: input.latestOccurredAtMs === null ? null : Number(input.windowDeltaTpp) / FORECAST_WINDOW_DAYS,
    projectedExhaustionAt: null,
  };
  if (input.latestOccurredAtMs === null) return { ...base, status: 'no-entries' };
  if (input.capTpp === null) return { ...base, status: 'uncapped' };
  if (input.usedTpp >= input.capTpp) return { ...base, status: 'exhausted' };
  if (input.windowDeltaTpp <= 0n) return { ...base, status: 'not-increasing' };

  // remaining / (delta / window) in whole milliseconds, rounded up: the cap is reached at that instant, not before.
  const remaining = input.capTpp - input.usedTpp;
  const numerator = remaining * BigInt(windowMs);
  const afterMs = (numerator + input.windowDeltaTpp - 1n) / input.windowDeltaTpp;
  const atMs = BigInt(input.latestOccurredAtMs) + afterMs;
  if (atMs > BigInt(DATE_MS_MAX)) return { ...base, status: 'beyond-horizon' };
  return { ...base, status: 'projected', projectedExhaustionAt: new Date(Number(atMs)).toISOString() };
}

// For a caller who reads the account only in aggregate: the window and rate would date and size others' events.
export function withheldForecast(): ExhaustionForecast {
  return { status: 'withheld', windowDays: FORECAST_WINDOW_DAYS, windowFrom: null, windowTo: null, windowDeltaTpp: null, ratePerDayTpp: null, projectedExhaustionAt: null };
}
