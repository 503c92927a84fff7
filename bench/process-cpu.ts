// CPU time taken by each process of the system during a benchmark phase, read from /proc (Linux): the ledger, the
// relay, Postgres (all its processes), the Kafka broker, the publisher and the benchmark itself. On two shared
// cores this says whether a phase is CPU-bound and which process takes what. The processes found are read every
// 200 ms, so one that ends within the phase (the publisher) is counted up to its last reading; /proc is listed for
// new ones every second (a process's count starts at its birth, so finding it late loses nothing). Listing /proc
// costs about 10 ms here, reading the few processes found well under 1 ms.
import * as fs from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ, 100 on Linux for x86-64 and arm64
const SAMPLE_MS = 200;
const LIST_EVERY_SAMPLES = 5;

export type ProcessKind = 'ledger' | 'relay' | 'postgres' | 'kafka' | 'publisher' | 'benchmark';

function kindOf(pid: number, cmdline: string): ProcessKind | null {
  if (pid === process.pid) return 'benchmark';
  if (cmdline.includes('apps/ledger/src/main')) return 'ledger';
  if (cmdline.includes('apps/relay/src/main')) return 'relay';
  // The server (.../bin/postgres) and its children, which name themselves "postgres: ...".
  if (cmdline.startsWith('postgres') || /\/bin\/postgres\u0000/.test(cmdline)) return 'postgres';
  if (cmdline.includes('kafka.Kafka')) return 'kafka';
  if (/apps\/cli\/src\/main\.js\u0000publish\u0000/.test(cmdline)) return 'publisher';
  return null;
}

// The processes of interest now running, by pid.
function listProcesses(): Map<number, ProcessKind> {
  const out = new Map<number, ProcessKind>();
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const kind = kindOf(pid, fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
      if (kind !== null) out.set(pid, kind);
    } catch {
      // the process ended between listing and reading
    }
  }
  return out;
}

// utime + stime in ticks since the process began; null once it has ended.
function cpuTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

export interface CpuUse {
  seconds: number;
  // CPU seconds per kind of process, and their sum, over the phase's wall-clock seconds: 2.0 is two busy cores.
  coresBusy: Partial<Record<ProcessKind | 'total', number>>;
  // The CPU seconds themselves, per kind of process and in all.
  cpuSeconds: Partial<Record<ProcessKind | 'total', number>>;
}

export class ProcessCpu {
  private processes = listProcesses();
  // Ticks at the start (for the processes then running) and at the last reading.
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, { kind: ProcessKind; ticks: number }>();
  private samples = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly startedMs = Date.now();

  private constructor() {
    for (const pid of this.processes.keys()) {
      const ticks = cpuTicks(pid);
      if (ticks !== null) this.first.set(pid, ticks);
    }
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  // null where /proc cannot be read (not Linux).
  static start(): ProcessCpu | null {
    return fs.existsSync('/proc/self/stat') ? new ProcessCpu() : null;
  }

  stop(): CpuUse {
    clearInterval(this.timer);
    this.sample();
    const seconds = (Date.now() - this.startedMs) / 1000;
    const cpu: Partial<Record<ProcessKind | 'total', number>> = {};
    for (const [pid, now] of this.last) {
      const used = (now.ticks - (this.first.get(pid) ?? 0)) / TICKS_PER_S;
      cpu[now.kind] = (cpu[now.kind] ?? 0) + used;
      cpu.total = (cpu.total ?? 0) + used;
    }
    const coresBusy: CpuUse['coresBusy'] = {};
    const cpuSeconds: CpuUse['cpuSeconds'] = {};
    for (const [kind, s] of Object.entries(cpu)) {
      coresBusy[kind as ProcessKind | 'total'] = Math.round((s / seconds) * 100) / 100;
      cpuSeconds[kind as ProcessKind | 'total'] = Math.round(s * 100) / 100;
    }
    return { seconds: Math.round(seconds * 10) / 10, coresBusy, cpuSeconds };
  }

  private sample(): void {
    if (++this.samples % LIST_EVERY_SAMPLES === 0) this.processes = listProcesses();
    for (const [pid, kind] of this.processes) {
      const ticks = cpuTicks(pid);
      if (ticks !== null) this.last.set(pid, { kind, ticks });
    }
  }
}
