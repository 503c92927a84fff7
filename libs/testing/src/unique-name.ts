let counter = 0;

// A name no other spec (in this process or a parallel one) uses: usable as a database name, a Kafka topic or a
// consumer group id. Lower-case letters, digits and underscores only, at most 63 characters (Postgres' limit).
export function uniqueName(prefix: string): string {
  counter += 1;
  const head = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 30) || 't';
  const tail = [Date.now().toString(36), process.pid.toString(36), counter.toString(36), Math.random().toString(36).slice(2, 8)];
  return `${head}_${tail.join('_')}`.slice(0, 63);
}
