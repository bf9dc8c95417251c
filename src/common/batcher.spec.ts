import { Batcher } from './batcher';

/** A batch function that records its batches and answers each item doubled, after `wait`. */
function recorder(wait: () => Promise<void> = async () => undefined) {
  const batches: number[][] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await wait();
    return items.map((i) => i * 2);
  };
  return { batches, run };
}

describe('Batcher', () => {
  it('answers each item from the one batch of the items added together', async () => {
    const { batches, run } = recorder();
    const b = new Batcher(run, { delayMs: 0, maxBatch: 10 });
    expect(await Promise.all([1, 2, 3].map((i) => b.add(i)))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('runs one batch at a time; what arrives meanwhile forms the next, up to maxBatch each', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((r) => (open = r));
    const { batches, run } = recorder(() => gate);
    const b = new Batcher(run, { delayMs: 0, maxBatch: 2 });
    const answers = [b.add(1), b.add(2)]; // full: runs at once
    for (const i of [3, 4, 5]) answers.push(b.add(i)); // wait for the first batch
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toEqual([[1, 2]]);
    open();
    expect(await Promise.all(answers)).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('lets the first item wait at most delayMs for company', async () => {
    const { batches, run } = recorder();
    const b = new Batcher(run, { delayMs: 30, maxBatch: 10 });
    const started = Date.now();
    const first = b.add(1);
    await new Promise((r) => setTimeout(r, 10));
    const second = b.add(2);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(batches).toEqual([[1, 2]]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('never puts two items of the same key in one batch', async () => {
    const { batches, run } = recorder();
    const b = new Batcher(run, { delayMs: 0, maxBatch: 10, key: (i: number) => i % 10 });
    await Promise.all([1, 11, 2].map((i) => b.add(i)));
    expect(batches).toEqual([[1, 2], [11]]);
  });

  it('rejects every item of a failed batch, and goes on with the next', async () => {
    let fail = true;
    const b = new Batcher(async (items: number[]) => {
      if (fail) throw new Error('commit failed');
      return items;
    }, { delayMs: 0, maxBatch: 10 });
    const failed = await Promise.allSettled([b.add(1), b.add(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await b.add(3)).toBe(3);
  });

  it('drain runs what waits without waiting for company', async () => {
    const { batches, run } = recorder();
    const b = new Batcher(run, { delayMs: 60_000, maxBatch: 10 });
    const answer = b.add(7);
    await b.drain();
    expect(batches).toEqual([[7]]);
    expect(await answer).toBe(14);
  });
});
