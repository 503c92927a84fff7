// The figures `npm run bench` reads from the ledger and the processes' CPU, and how it words them.
import { serviceMetrics } from '@app/testing';
import type { CpuUse } from './process-cpu';

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export function cpuPerEvent(cpu: CpuUse, events: number, cores: number, targetPerS: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, seconds] of Object.entries(cpu.cpuSeconds)) out[kind] = round((seconds * 1e6) / events, 1);
  const budget = (cores * 1e6) / targetPerS;
  out['budgetAtTarget'] = round(budget, 1);
  out['totalVsBudget'] = round((out['total'] ?? 0) / budget, 2);
  return out;
}

export interface BatchFigures {
  count: number;
  meanSize: number;
  pipelined: number;
  merkleSeconds: { hash: number; store: number };
}

// From the ledger's /metrics: its batches so far, their mean size, how many were judged in the pipeline, and the
// time it spent on the Merkle tree.
export async function batchFigures(port: number): Promise<BatchFigures | null> {
  try {
    const m = await serviceMetrics(port);
    const count = m.get('ledger_batch_size_count') ?? 0;
    return {
      count,
      meanSize: Math.round((m.get('ledger_batch_size_sum') ?? 0) / count),
      pipelined: m.get('ledger_batches_pipelined_total') ?? 0,
      merkleSeconds: { hash: m.get('ledger_merkle_seconds_total{part="hash"}') ?? 0, store: m.get('ledger_merkle_seconds_total{part="store"}') ?? 0 },
    };
  } catch {
    return null;
  }
}

export function merkleShare(batches: BatchFigures | null, cpu: CpuUse | null, events: number): Record<string, number> | null {
  if (batches === null) return null;
  const { hash, store } = batches.merkleSeconds;
  const out: Record<string, number> = { hashUsPerEvent: round((hash * 1e6) / events, 2), storeUsPerEvent: round((store * 1e6) / events, 2) };
  const ledger = cpu?.cpuSeconds['ledger'];
  const total = cpu?.cpuSeconds['total'];
  if (ledger !== undefined && ledger > 0) out['hashShareOfLedgerCpu'] = round(hash / ledger, 4);
  if (total !== undefined && total > 0) out['shareOfAllCpu'] = round((hash + store) / total, 4);
  return out;
}
