// Kafka's committed offsets for the ledger's consumer group. They are informational (Postgres is the source of
// truth, and the ledger resumes from it), so they are sent in the background and the next fetch does not wait
// for them: kafkajs commits one request at a time, and awaiting one commit per partition before fetching again
// cost about 6 ms per partition per fetch (70 ms of event-to-alert latency with 13 partitions).
// - Offsets only move forward, and the offsets of all partitions waiting are sent in one request.
// - A refused commit (a rebalance, a coordinator move) is tried again, 250 ms later and doubling, unless a later
//   offset replaced it: otherwise it would stay behind until that partition's next batch, which may never come.
// - After a rebalance only the partitions this member still holds are kept: an old offset sent after the new
//   owner's would move the group back.
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface OffsetCommitterOptions {
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  onFailure: (offsets: PartitionOffset[], err: unknown, willRetry: boolean) => void;
  attemptsMax?: number;
  retryDelayMs?: number;
  retryDelayMsMax?: number;
}

interface Waiting {
  topic: string;
  partition: number;
  next: bigint;
}

export class OffsetCommitter {
  private readonly waiting = new Map<string, Waiting>();
  private inFlight: Promise<void> | null = null;
  private stopping = false;
  // The partitions this member holds (topic -> partitions) since the last rebalance; null until one is known.
  private assignment: Readonly<Record<string, readonly number[]>> | null = null;

  constructor(private readonly o: OffsetCommitterOptions) {}

  // `next` is the partition's next offset to consume.
  add(topic: string, partition: number, next: bigint): void {
    this.keep({ topic, partition, next });
    if (this.inFlight === null) this.inFlight = this.flush();
  }

  // Keeps only the offsets of the partitions in `assignment` (topic -> partitions): those waiting now, and those of
  // a request in flight when it is refused.
  retain(assignment: Readonly<Record<string, readonly number[]>>): void {
    this.assignment = assignment;
    for (const [key, w] of this.waiting) if (!this.holds(w)) this.waiting.delete(key);
  }

  // No retries after this; settled() then resolves once the request in flight, if any, is answered.
  stop(): void {
    this.stopping = true;
  }

  async settled(): Promise<void> {
    await this.inFlight;
  }

  private holds(w: Waiting): boolean {
    return this.assignment === null || (this.assignment[w.topic] ?? []).includes(w.partition);
  }

  private keep(w: Waiting): void {
    if (!this.holds(w)) return;
    const key = `${w.topic}\u0000${w.partition}`;
    const cur = this.waiting.get(key);
    if (cur === undefined || w.next > cur.next) this.waiting.set(key, w);
  }

  private async flush(): Promise<void> {
    const attemptsMax = this.o.attemptsMax ?? 8;
    let failures = 0;
    try {
      // The other partitions of the same transaction resume in this turn: their offsets join the same request.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.waiting.size > 0) {
        const sent = [...this.waiting.values()];
        this.waiting.clear();
        const offsets = sent.map((w) => ({ topic: w.topic, partition: w.partition, offset: w.next.toString() }));
        try {
          await this.o.commit(offsets);
          failures = 0;
        } catch (err) {
          failures++;
          const retry = failures < attemptsMax && !this.stopping;
          this.o.onFailure(offsets, err, retry);
          if (!retry) continue;
          for (const w of sent) this.keep(w);
          const delayMs = Math.min((this.o.retryDelayMs ?? 250) * 2 ** (failures - 1), this.o.retryDelayMsMax ?? 5_000);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    } finally {
      this.inFlight = null;
    }
  }
}
