// What the CLI says when a command fails for a reason outside it (PostgreSQL or Kafka unreachable or refusing, a
// database not migrated): one line with a stable code, what failed and what to do, instead of a stack trace. The
// exit status stays 1 (docs/cli.md); the stack is printed too with LOG_LEVEL=debug, for a bug report.

export interface CliFailure {
  code: string;
  message: string;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  cause?: unknown;
  driverError?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

// PostgreSQL's SQLSTATEs a user can act on (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const POSTGRES_STATES: Record<string, { code: string; hint: string }> = {
  '28P01': { code: 'DATABASE_LOGIN_REFUSED', hint: 'check the user and password in DATABASE_URL (docs/transparency.md: roles)' },
  '28000': { code: 'DATABASE_LOGIN_REFUSED', hint: 'the server does not accept this user from here (pg_hba.conf)' },
  '3D000': { code: 'DATABASE_MISSING', hint: 'create it (bash scripts/pg.sh create NAME) or fix DATABASE_URL' },
  '42501': { code: 'DATABASE_PERMISSION_DENIED', hint: "this database role may not do that: use the command's role (docs/cli.md)" },
  '42P01': { code: 'DATABASE_NOT_MIGRATED', hint: 'run: npm run -s ledger -- migrate' },
  '57P01': { code: 'DATABASE_UNAVAILABLE', hint: 'the server is shutting down; run the command again when it is up' },
  '57P03': { code: 'DATABASE_UNAVAILABLE', hint: 'the server is starting up; run the command again in a moment' },
};

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// The error itself, TypeORM's driverError, or an AggregateError's first cause: where pg and net put their codes.
function causes(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e !== null && typeof e === 'object'; depth++) {
    const like = e as ErrorLike & { errors?: unknown };
    out.push(like);
    if (Array.isArray(like.errors) && like.errors.length > 0) out.push(like.errors[0] as ErrorLike);
    e = like.driverError ?? like.cause ?? (like as { originalError?: unknown }).originalError;
  }
  return out;
}

export function classifyFailure(err: unknown): CliFailure | null {
  for (const e of causes(err)) {
    const name = text(e.name);
    const code = text(e.code);
    const message = text(e.message);
    if (name.startsWith('KafkaJS')) {
      if (/SASL|Authentication/i.test(name + message)) return { code: 'KAFKA_LOGIN_REFUSED', message: `Kafka refused the login: ${message} (check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)` };
      if (/authoriz/i.test(message)) return { code: 'KAFKA_PERMISSION_DENIED', message: `Kafka refused: ${message} (the login's ACLs do not allow it)` };
      return { code: 'KAFKA_UNAVAILABLE', message: `Kafka could not be reached: ${message} (start it: bash scripts/kafka.sh start, or check KAFKA_BROKERS)` };
    }
    const state = POSTGRES_STATES[code];
    if (state !== undefined) return { code: state.code, message: `PostgreSQL: ${message} (${state.hint})` };
    if (NETWORK_CODES.has(code)) {
      const where = e.address !== undefined ? ` at ${text(e.address) || String(e.address)}${e.port !== undefined ? `:${String(e.port)}` : ''}` : '';
      return {
        code: 'DATABASE_UNREACHABLE',
        message: `PostgreSQL could not be reached${where} (${code}) (start it: bash scripts/pg.sh start, or check DATABASE_URL)`,
      };
    }
  }
  return null;
}

// The line (and, when asked for, the stack) printed for a command that failed.
export function describeFailure(err: unknown, debug: boolean): string {
  const known = classifyFailure(err);
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (known === null) {
    const message = err instanceof Error ? err.message : String(err);
    return debug ? `ledger: UNEXPECTED: ${stack}\n` : `ledger: UNEXPECTED: ${message} (LOG_LEVEL=debug prints the stack)\n`;
  }
  return `ledger: ${known.code}: ${known.message}\n${debug ? `${stack}\n` : ''}`;
}
