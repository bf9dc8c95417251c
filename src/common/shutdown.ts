import { Injectable, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';

/**
 * Long work (planning a big campaign) runs under this signal. On SIGTERM, app.close() aborts it first
 * (onModuleDestroy is the first hook) and waits until that work has stopped and its transaction has
 * rolled back, before the database connection is closed. Planning once ran on for minutes after
 * SIGTERM and after the client had left.
 */
@Injectable()
export class Shutdown implements OnModuleDestroy {
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<unknown>>();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Runs `work`, which must stop at `signal`; shutting down waits for it to settle. */
  track<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    const run = work(this.signal);
    const settled = run.catch(() => undefined);
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return run;
  }

  async onModuleDestroy(): Promise<void> {
    this.controller.abort(new ServiceUnavailableException('the service is shutting down: the work was stopped and nothing was written; send the request again'));
    await Promise.all(this.running);
  }
}
