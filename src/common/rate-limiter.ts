/**
 * A fixed one-minute window per key (a user, or an address sending bad tokens). In memory: each
 * replica limits on its own, which bounds abuse without a shared store.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts one event; the seconds to wait when over the limit, 0 when the request may pass. */
  take(key: string, now: number): number {
    const window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    window.count++;
    return window.count > this.perMinute ? Math.ceil((window.start + 60_000 - now) / 1000) : 0;
  }

  /** Without counting: the seconds to wait once the key has used up its events this minute, else 0. */
  wait(key: string, now: number): number {
    const window = this.windows.get(key);
    if (!window || now - window.start >= 60_000 || window.count < this.perMinute) return 0;
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(key);
  }
}
