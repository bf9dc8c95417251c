export interface BatcherOptions<I> {
  /** The longest the first item of a batch waits for others (0: the items added in the same turn). */
  delayMs: number;
  /** A batch this large runs at once. */
  maxBatch: number;
  /** Items with the same key never share a batch (the later one waits for the next). */
  key?: (item: I) => unknown;
}

interface Waiting<I, O> {
  item: I;
  since: number;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces single requests into batches: `add` waits for a batch to form (`delayMs`, or `maxBatch`
 * items), `run` handles the batch at once and answers each item (its results in the items' order).
 * One batch runs at a time; items added meanwhile form the next, so the busier it gets, the larger
 * the batches. A failed batch rejects each of its items.
 */
export class Batcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: BatcherOptions<I>,
  ) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, since: Date.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Runs what waits now, without waiting for company; resolves once every item added so far is answered. */
  async drain(): Promise<void> {
    while (this.waiting.length || this.running) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (!this.running) this.start();
      await this.running;
    }
  }

  private schedule(): void {
    if (this.running || this.waiting.length === 0) return;
    if (this.waiting.length >= this.options.maxBatch) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.start();
      return;
    }
    // The oldest waits at most delayMs; a timer already set is for that same oldest item.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (!this.running) this.start();
    }, Math.max(0, this.waiting[0].since + this.options.delayMs - Date.now()));
  }

  private start(): void {
    const batch = this.take();
    this.running = this.run(batch.map((w) => w.item)).then(
      (results) => batch.forEach((w, i) => w.resolve(results[i])),
      (error) => batch.forEach((w) => w.reject(error)),
    ).finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  private take(): Waiting<I, O>[] {
    const { maxBatch, key } = this.options;
    const batch: Waiting<I, O>[] = [];
    const keys = new Set<unknown>();
    const rest: Waiting<I, O>[] = [];
    for (const w of this.waiting) {
      const k = key?.(w.item);
      if (batch.length < maxBatch && (k === undefined || !keys.has(k))) {
        batch.push(w);
        if (k !== undefined) keys.add(k);
      } else rest.push(w);
    }
    this.waiting = rest;
    return batch;
  }
}
