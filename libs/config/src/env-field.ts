// One environment variable: its name, what it accepts (in words, for the error message and the docs), how to
// parse it and the value used when it is unset or empty. `fallback: undefined` makes the key required.
export interface EnvField<T> {
  readonly key: string;
  readonly expected: string;
  readonly fallback: T | undefined;
  // Secrets are never echoed back in error messages.
  readonly secret?: boolean;
  // What the setting does, for docs/configuration.md (generated from these declarations).
  readonly description?: string;
  parse(raw: string): T | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;
export type FieldValues<F> = { -readonly [K in keyof F]: F[K] extends EnvField<infer T> ? T : never };

export function integerField(key: string, min: number, max: number, fallback: number | undefined): EnvField<number> {
  return {
    key,
    expected: `an integer ${min}..${max}`,
    fallback,
    parse: (raw) => {
      if (!/^-?\d+$/.test(raw)) return undefined;
      const value = Number(raw);
      return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
    },
  };
}

export function portField(key: string, fallback: number): EnvField<number> {
  return { ...integerField(key, 1, 65535, fallback), expected: 'a TCP port 1..65535' };
}

export function flagField(key: string, fallback: boolean): EnvField<boolean> {
  const truthy = new Set(['true', '1', 'yes', 'on']);
  const falsy = new Set(['false', '0', 'no', 'off']);
  return {
    key,
    expected: 'true or false',
    fallback,
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      return truthy.has(value) ? true : falsy.has(value) ? false : undefined;
    },
  };
}

export function choiceField<T extends string>(key: string, choices: readonly T[], fallback: T | undefined): EnvField<T> {
  return {
    key,
    expected: `one of ${choices.join('|')}`,
    fallback,
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      return (choices as readonly string[]).includes(value) ? (value as T) : undefined;
    },
  };
}

export function textField(
  key: string,
  fallback: string | undefined,
  pattern: RegExp = /^\S.{0,254}$/,
  expected = 'a non-blank string of at most 255 characters',
  secret = false,
): EnvField<string> {
  return { key, expected, fallback, secret, parse: (raw) => (pattern.test(raw) ? raw : undefined) };
}

// Kafka bootstrap servers: comma-separated host:port.
export function brokerListField(key: string, fallback: readonly string[]): EnvField<readonly string[]> {
  return {
    key,
    expected: 'a comma-separated list of host:port',
    fallback,
    parse: (raw) => {
      const brokers = raw.split(',').map((b) => b.trim()).filter((b) => b.length > 0);
      const valid = brokers.every((b) => {
        const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(b);
        return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
      });
      return brokers.length > 0 && valid ? brokers : undefined;
    },
  };
}

export function postgresUrlField(key: string, fallback: string): EnvField<string> {
  return {
    key,
    expected: 'a postgres://user[:password]@host[:port]/database URL',
    fallback,
    // The URL may carry a password: never echo it.
    secret: true,
    parse: (raw) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return undefined;
      }
      const ok = (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
      return ok ? raw : undefined;
    },
  };
}

// Reads every field, collecting all problems instead of stopping at the first.
export function readFields<F extends Record<string, EnvField<unknown>>>(
  env: Env,
  fields: F,
  problems: string[],
): FieldValues<F> {
  const values: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const raw = env[field.key];
    if (raw === undefined || raw.trim() === '') {
      if (field.fallback === undefined) problems.push(`${field.key} is required (${field.expected})`);
      values[name] = field.fallback;
      continue;
    }
    const parsed = field.parse(raw);
    if (parsed === undefined) {
      const got = field.secret ? `a value of ${raw.length} characters` : JSON.stringify(raw);
      problems.push(`${field.key} must be ${field.expected} (got ${got})`);
      values[name] = field.fallback;
    } else {
      values[name] = parsed;
    }
  }
  return values as FieldValues<F>;
}

// The same field with the sentence docs/configuration.md gives it.
export function described<T>(field: EnvField<T>, description: string): EnvField<T> {
  return { ...field, description };
}

// Same check and message, but unset means null instead of a default.
export function optionalField<T>(field: EnvField<T>): EnvField<T | null> {
  return { ...field, fallback: null };
}

export function isSet(env: Env, key: string): boolean {
  const raw = env[key];
  return raw !== undefined && raw.trim() !== '';
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}
