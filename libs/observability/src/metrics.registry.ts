// A small Prometheus registry: counters, gauges and histograms rendered in the text exposition format 0.0.4.
// Written here instead of pulled in because the whole need is ~150 lines and the format is stable.

export type Labels = Readonly<Record<string, string | number>>;

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  // Upper bounds in the metric's unit (seconds for *_seconds); +Inf is implied.
  buckets: readonly number[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

abstract class Metric<L extends string> {
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];

  constructor({ name, help, labelNames = [] }: MetricOptions<L>) {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
    for (const label of labelNames) {
      if (!LABEL.test(label) || label === 'le') throw new Error(`invalid label name ${JSON.stringify(label)} on ${name}`);
    }
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  // A stable key for one combination of label values, and its rendering inside {}.
  protected key(labels: Partial<Record<L, string | number>>): string {
    const given = Object.keys(labels);
    for (const label of given) {
      if (!(this.labelNames as readonly string[]).includes(label)) throw new Error(`unknown label ${label} on ${this.name}`);
    }
    return this.labelNames
      .filter((label) => labels[label] !== undefined)
      .map((label) => `${label}="${escapeLabel(String(labels[label]))}"`)
      .join(',');
  }

  protected header(): string[] {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
  }

  abstract render(): string[];
}

function split<L extends string>(labelsOrValue: Partial<Record<L, string | number>> | number | undefined, value: number | undefined) {
  return typeof labelsOrValue === 'number' ? { labels: {}, value: labelsOrValue } : { labels: labelsOrValue ?? {}, value };
}

export class Counter<L extends string = string> extends Metric<L> {
  readonly type = 'counter';
  private readonly values = new Map<string, number>();

  inc(labelsOrValue?: Partial<Record<L, string | number>> | number, value?: number): void {
    const { labels, value: by = 1 } = split(labelsOrValue, value);
    if (!(by >= 0)) throw new Error(`counter ${this.name} can only go up (got ${by})`);
    const key = this.key(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Partial<Record<L, string | number>> = {}): number {
    return this.values.get(this.key(labels)) ?? 0;
  }

  render(): string[] {
    const lines = this.header();
    // A counter without labels is shown at 0 before its first increment, so dashboards see it exists.
    if (this.values.size === 0 && this.labelNames.length === 0) lines.push(`${this.name} 0`);
    for (const [key, value] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ''} ${formatValue(value)}`);
    return lines;
  }
}

export class Gauge<L extends string = string> extends Metric<L> {
  readonly type = 'gauge';
  private readonly values = new Map<string, number>();

  set(labelsOrValue: Partial<Record<L, string | number>> | number, value?: number): void {
    const { labels, value: to } = split(labelsOrValue, value);
    this.values.set(this.key(labels), to ?? 0);
  }

  inc(labelsOrValue?: Partial<Record<L, string | number>> | number, value?: number): void {
    const { labels, value: by = 1 } = split(labelsOrValue, value);
    const key = this.key(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  dec(labelsOrValue?: Partial<Record<L, string | number>> | number, value?: number): void {
    const { labels, value: by = 1 } = split(labelsOrValue, value);
    this.inc(labels, -by);
  }

  get(labels: Partial<Record<L, string | number>> = {}): number {
    return this.values.get(this.key(labels)) ?? 0;
  }

  render(): string[] {
    const lines = this.header();
    for (const [key, value] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ''} ${formatValue(value)}`);
    return lines;
  }
}

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram<L extends string = string> extends Metric<L> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  private readonly series = new Map<string, HistogramSeries>();

  constructor(options: HistogramOptions<L>) {
    super(options);
    const buckets = [...options.buckets].sort((a, b) => a - b);
    if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b === buckets[i - 1]))) {
      throw new Error(`histogram ${options.name} needs distinct finite buckets`);
    }
    this.buckets = buckets;
  }

  observe(labelsOrValue: Partial<Record<L, string | number>> | number, value?: number): void {
    const { labels, value: observed } = split(labelsOrValue, value);
    if (observed === undefined || Number.isNaN(observed)) return;
    const key = this.key(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const index = this.buckets.findIndex((bound) => observed <= bound);
    if (index >= 0) series.counts[index] += 1;
    series.sum += observed;
    series.count += 1;
  }

  // Returns a function that observes the seconds elapsed since this call.
  startTimer(labels: Partial<Record<L, string | number>> = {}): () => number {
    const started = process.hrtime.bigint();
    return () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observe(labels, seconds);
      return seconds;
    };
  }

  render(): string[] {
    const lines = this.header();
    for (const [key, series] of this.series) {
      const prefix = key ? `${key},` : '';
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i];
        lines.push(`${this.name}_bucket{${prefix}le="${formatValue(bound)}"} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${series.count}`);
      const braces = key ? `{${key}}` : '';
      lines.push(`${this.name}_sum${braces} ${formatValue(series.sum)}`);
      lines.push(`${this.name}_count${braces} ${series.count}`);
    }
    return lines;
  }
}

type AnyMetric = Counter | Gauge | Histogram;

export class MetricsRegistry {
  private readonly metrics = new Map<string, AnyMetric>();
  private readonly collectors: Array<() => void> = [];

  counter<L extends string = never>(options: MetricOptions<L>): Counter<L> {
    return this.register(options.name, 'counter', () => new Counter<L>(options)) as Counter<L>;
  }

  gauge<L extends string = never>(options: MetricOptions<L>): Gauge<L> {
    return this.register(options.name, 'gauge', () => new Gauge<L>(options)) as Gauge<L>;
  }

  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    return this.register(options.name, 'histogram', () => new Histogram<L>(options)) as Histogram<L>;
  }

  // Runs before every render: for gauges read from elsewhere (memory, lag, pool sizes).
  onCollect(collect: () => void): void {
    this.collectors.push(collect);
  }

  render(): string {
    for (const collect of this.collectors) collect();
    return [...this.metrics.values()].flatMap((metric) => metric.render()).join('\n') + '\n';
  }

  // Registering the same name twice returns the first metric, so that a module set up twice (tests, hybrid apps)
  // shares its series; a different type under the same name is a programming error.
  private register(name: string, type: AnyMetric['type'], create: () => AnyMetric): AnyMetric {
    const existing = this.metrics.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric ${name} is already registered as a ${existing.type}`);
      return existing;
    }
    const metric = create();
    this.metrics.set(name, metric);
    return metric;
  }
}

// The process figures every service exposes.
export function registerProcessMetrics(registry: MetricsRegistry): void {
  const start = registry.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since the Unix epoch, in seconds.' });
  const resident = registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.' });
  const heap = registry.gauge({ name: 'nodejs_heap_used_bytes', help: 'V8 heap in use, in bytes.' });
  const cpu = registry.counter({ name: 'process_cpu_seconds_total', help: 'User and system CPU time of the process (all its threads), in seconds.' });
  start.set(Math.round(Date.now() / 1000 - process.uptime()));
  let cpuSeenUs = 0;
  registry.onCollect(() => {
    const used = process.cpuUsage();
    const totalUs = used.user + used.system;
    cpu.inc(Math.max(0, totalUs - cpuSeenUs) / 1e6);
    cpuSeenUs = Math.max(cpuSeenUs, totalUs);
    const memory = process.memoryUsage();
    resident.set(memory.rss);
    heap.set(memory.heapUsed);
  });
}
