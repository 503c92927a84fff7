// What the messaging classes need of a logger: one structured record per call, { msg, ...fields }, with the event
// key as correlation id where there is one. @app/observability's JsonLogger (a Nest LoggerService) is one; it is
// described here by shape so that this library does not depend on that one.
export interface LogRecord {
  msg: string;
  [field: string]: unknown;
}

export interface StructuredLogger {
  log(record: LogRecord): void;
  warn(record: LogRecord): void;
  error(record: LogRecord): void;
  debug?(record: LogRecord): void;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
