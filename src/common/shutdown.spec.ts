import { ServiceUnavailableException } from '@nestjs/common';
import { Shutdown } from './shutdown';

describe('Shutdown', () => {
  it('aborts tracked work and waits until it has stopped', async () => {
    const shutdown = new Shutdown();
    const steps: string[] = [];
    const work = shutdown.track(async (signal) => {
      while (!signal.aborted) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20)); // the rollback
      steps.push('rolled back');
      signal.throwIfAborted();
    });
    await shutdown.onModuleDestroy();
    steps.push('closed');
    expect(steps).toEqual(['rolled back', 'closed']);
    await expect(work).rejects.toBeInstanceOf(ServiceUnavailableException);
  });

  it('refuses to start work once shutting down', async () => {
    const shutdown = new Shutdown();
    await shutdown.onModuleDestroy();
    const started = jest.fn(async () => 1);
    await expect(shutdown.track(started)).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(started).not.toHaveBeenCalled();
  });
});
