// Structured logs: one JSON object per line on stdout, with the event key as correlation id where there is one.
export type LogFields = Record<string, unknown>;

export interface StructuredLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const RANK = { debug: 10, verbose: 5, info: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof RANK;

export class JsonLogger implements StructuredLogger {
  private readonly min: number;

  constructor(
    private readonly service: string,
    level: string = 'info',
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    this.min = RANK[(level in RANK ? level : 'info') as Level];
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  private write(level: Level, message: string, fields?: LogFields): void {
    if (RANK[level] < this.min) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, service: this.service, message, ...fields }, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v instanceof Error ? { name: v.name, message: v.message } : v,
    );
    this.out.write(`${line}\n`);
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
