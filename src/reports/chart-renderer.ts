import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * vega and vega-lite are ES modules whose graph has a top-level await (vega-canvas probing for the
 * optional `canvas` package), so Node 20 cannot require() them and TypeScript's CommonJS output turns
 * every import() into require(). A worker thread evaluated as plain JavaScript imports them for real,
 * and keeps the ~30 ms of layout per chart off the event loop that answers requests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const modules = Promise.all([import(workerData.vegaLite), import(workerData.vega)]);
parentPort.on('message', async ({ id, spec }) => {
  try {
    const [vl, vega] = await modules;
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    parentPort.postMessage({ id, svg });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

/** What a page may inline: vega writes presentation attributes only; anything that runs or styles inline is refused. */
const UNSAFE_SVG = /<script|<foreignObject|<style|\sstyle=|\son[a-z]+\s*=|javascript:/i;

export function assertInertSvg(svg: string): string {
  if (!svg.startsWith('<svg') || UNSAFE_SVG.test(svg)) throw new Error('the chart renderer produced SVG that cannot be inlined under the page policy');
  return svg;
}

/** Renders Vega-Lite specs to SVG text (no browser, no canvas), one worker for the process, started on first use. */
@Injectable()
export class ChartRenderer implements OnModuleDestroy {
  private worker?: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (svg: string) => void; reject: (error: Error) => void }>();

  render(spec: object): Promise<string> {
    const worker = this.start();
    const id = ++this.next;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // busy: keep the process alive until the answer
      worker.postMessage({ id, spec });
    }).then(assertInertSvg);
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const url = (name: string) => pathToFileURL(require.resolve(name)).href;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { vegaLite: url('vega-lite'), vega: url('vega') } });
    worker.on('message', ({ id, svg, error }: { id: number; svg?: string; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref(); // idle: never what keeps the process running
      if (error !== undefined) waiting?.reject(new Error(`chart: ${error}`));
      else waiting?.resolve(svg!);
    });
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`chart worker exited (${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** A dead worker fails what it was doing; the next chart starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
