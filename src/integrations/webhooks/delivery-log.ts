/**
 * Remembers webhook delivery ids for a while so a replayed delivery is refused. The
 * in-memory log suits one process; with several replicas the server passes a
 * database-backed implementation of the same interface.
 */
export interface DeliveryLog {
  /** Records `id`; answers 'seen' when it was already recorded and has not expired. */
  remember(id: string, now?: Date): Promise<'new' | 'seen'>;
}

export class InMemoryDeliveryLog implements DeliveryLog {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    /** Bound on memory: the oldest ids are forgotten first. */
    private readonly maxEntries = 100_000,
  ) {}

  async remember(id: string, now = new Date()): Promise<'new' | 'seen'> {
    const t = now.getTime();
    const expiry = this.expiries.get(id);
    if (expiry !== undefined && expiry > t) return 'seen';
    this.expiries.delete(id);
    this.expiries.set(id, t + this.ttlMs);
    if (this.expiries.size > this.maxEntries) {
      // Map iteration follows insertion order, so the first keys are the oldest.
      for (const [key, exp] of this.expiries) {
        if (this.expiries.size <= this.maxEntries && exp > t) break;
        this.expiries.delete(key);
      }
    }
    return 'new';
  }
}
