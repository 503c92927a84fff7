import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from '@app/config';

// Most severe first; a configured level lets through itself and everything more severe.
const SEVERITY: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'];

export interface JsonLoggerOptions {
  level: LogLevel;
  // Added to every line, e.g. { app: 'ledger' }.
  fields?: Readonly<Record<string, unknown>>;
  // Where lines go; stdout unless a test captures them.
  write?: (line: string) => void;
}

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

// One JSON object per line: {"time","level","app","context","msg", ...fields}. A message may be a string or an
// object whose fields are kept (put the event key there as the correlation id, e.g. { msg, publisher, eventId }).
export class JsonLogger implements LoggerService {
  private enabled: ReadonlySet<LogLevel>;
  private readonly fields: Readonly<Record<string, unknown>>;
  private readonly write: (line: string) => void;

  constructor(options: JsonLoggerOptions) {
    this.enabled = new Set(SEVERITY.slice(0, SEVERITY.indexOf(options.level) + 1));
    this.fields = options.fields ?? {};
    this.write = options.write ?? ((line) => process.stdout.write(line));
  }

  isEnabled(level: LogLevel): boolean {
    return this.enabled.has(level);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.emit('info', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params, true);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params, true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('verbose', message, params);
  }

  // Nest calls this with its own level names ('log' is our 'info').
  setLogLevels(levels: NestLogLevel[]): void {
    this.enabled = new Set(levels.map((level) => (level === 'log' ? 'info' : level)));
  }

  private emit(level: LogLevel, message: unknown, params: unknown[], mayHaveStack = false): void {
    if (!this.enabled.has(level)) return;
    // Nest's convention: the last string argument is the context; error() may put a stack before it.
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    let stack: string | undefined;
    if (mayHaveStack && rest.length > 0 && typeof rest[0] === 'string') stack = rest.shift() as string;
    else if (mayHaveStack && rest.length === 0 && context?.includes('\n    at ')) stack = context;

    const line: Record<string, unknown> = { time: new Date().toISOString(), level, ...this.fields };
    if (context !== undefined && context !== stack) line.context = context;
    if (message instanceof Error) {
      line.msg = message.message;
      line.err = message;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(line, message);
    } else {
      line.msg = String(message);
    }
    if (stack !== undefined) line.stack = stack;
    if (rest.length > 0) line.extra = rest;
    this.write(`${JSON.stringify(line, jsonValue)}\n`);
  }
}
