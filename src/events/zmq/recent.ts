/** One logged event as the broker keeps it: enough to answer replays and spot resent ids without parsing. */
export interface RecentEvent {
  sequence: number;
  id: string;
  type: string;
  json: string;
}

/**
 * The broker's memory of the last `capacity` events (the Clone pattern's in-memory state): consecutive
 * sequences, so lookup by sequence is an index. Ids are indexed only when asked ({@link RecentEvents.sequencesById}):
 * only resent events need them, and keeping an index up to date cost more per event than anything else here.
 */
export class RecentEvents {
  private items: RecentEvent[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  /** Adds the next event; its sequence must follow the newest one (or start the memory). */
  add(e: RecentEvent): void {
    const newest = this.items[this.items.length - 1];
    if (newest && e.sequence !== newest.sequence + 1) this.clear();
    this.items.push(e);
    if (this.items.length - this.head > this.capacity) this.head++;
    // Compact now and then so evicted entries are freed (amortised O(1)).
    if (this.head > this.capacity) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Id → sequence of every remembered event (built on each call, in one pass). */
  sequencesById(): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = this.head; i < this.items.length; i++) out.set(this.items[i]!.id, this.items[i]!.sequence);
    return out;
  }

  /** Oldest remembered sequence; `Infinity` when empty. */
  get oldest(): number {
    return this.head < this.items.length ? this.items[this.head]!.sequence : Infinity;
  }

  /** Remembered events with `sequence > since`, oldest first. */
  *after(since: number): Generator<RecentEvent> {
    const start = this.head + Math.max(0, since + 1 - this.oldest);
    for (let i = start; i < this.items.length; i++) yield this.items[i]!;
  }

  private clear(): void {
    this.items = [];
    this.head = 0;
  }
}
