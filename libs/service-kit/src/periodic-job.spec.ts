import { Logger } from '@nestjs/common';
import { PeriodicJob } from './periodic-job';

describe('a periodic job', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval from one interval after the start, and not after it stopped', async () => {
    const work = jest.fn(async () => undefined);
    const job = new PeriodicJob('sweep', 1000, work);
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(999);
    expect(work).toHaveBeenCalledTimes(0);
    await jest.advanceTimersByTimeAsync(2001);
    expect(work).toHaveBeenCalledTimes(3);
    await job.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('runs one at a time, and stopping waits for the run in flight', async () => {
    let finish!: () => void;
    const work = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const job = new PeriodicJob('sweep', 1000, work);
    job.start();
    await jest.advanceTimersByTimeAsync(5000);
    expect(work).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('logs a failed run and tries again at the next tick', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const work = jest.fn().mockRejectedValueOnce(new Error('database away')).mockResolvedValue(undefined);
    const job = new PeriodicJob('sweep', 1000, work);
    job.start();
    await jest.advanceTimersByTimeAsync(2000);
    expect(work).toHaveBeenCalledTimes(2);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ error: 'Error: database away' }));
    await job.stop();
    logged.mockRestore();
  });

  it('never runs with an interval of 0, and keeps no process alive', async () => {
    const work = jest.fn(async () => undefined);
    const idle = new PeriodicJob('sweep', 0, work);
    idle.start();
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(work).not.toHaveBeenCalled();
    jest.useRealTimers();
    const job = new PeriodicJob('sweep', 60_000, work);
    job.start();
    expect((job as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
    await job.stop();
    expect(() => new PeriodicJob('sweep', -1, work)).toThrow(RangeError);
  });
});
