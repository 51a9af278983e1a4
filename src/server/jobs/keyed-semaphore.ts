import "server-only";

/**
 * At most `limit` tasks at once per key, in this process; the rest wait their turn in order.
 * Not shared between processes: it only keeps one process from flooding one external system.
 */
export class KeyedSemaphore {
  private readonly slots = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key) ?? { running: 0, waiting: [] };
    this.slots.set(key, slot);
    if (slot.running >= this.limit) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.running += 1;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = slot.waiting.shift();
      if (next) next();
      else if (--slot.running === 0) this.slots.delete(key);
    }
  }

  /** Tasks running and waiting for a key (for tests and diagnostics). */
  load(key: string): { running: number; waiting: number } {
    const slot = this.slots.get(key);
    return { running: slot?.running ?? 0, waiting: slot?.waiting.length ?? 0 };
  }
}
