/** One logged event as the broker keeps it: enough to answer replays and spot resent ids without parsing. */
export interface RecentEvent {
  sequence: number;
  id: string;
  type: string;
  json: string;
}

/**
 * The broker's memory of the last `capacity` events (the Clone pattern's in-memory state): consecutive
 * sequences, so lookup by sequence is an index; plus an id → sequence map to recognise resent events.
 */
export class RecentEvents {
  private items: RecentEvent[] = [];
  private head = 0;
  private readonly ids = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** Adds the next event; its sequence must follow the newest one (or start the memory). */
  add(e: RecentEvent): void {
    const newest = this.items[this.items.length - 1];
    if (newest && e.sequence !== newest.sequence + 1) this.clear();
    this.items.push(e);
    this.ids.set(e.id, e.sequence);
    if (this.items.length - this.head > this.capacity) this.ids.delete(this.items[this.head++]!.id);
    // Compact now and then so evicted entries are freed (amortised O(1)).
    if (this.head > this.capacity) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** The sequence an event id was logged with, if it is still remembered. */
  sequenceOf(id: string): number | undefined {
    return this.ids.get(id);
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
    this.ids.clear();
  }
}
