import { evidenceStoredCollectors } from './tenant-scheduler';

describe('evidenceStoredCollectors', () => {
  it("reads the tenant's stored collector configurations from the evidence service's system route", async () => {
    const calls: unknown[] = [];
    const stored = evidenceStoredCollectors({
      async call<T>(...args: unknown[]) {
        calls.push(args);
        return {
          tenantId: 't-1',
          collectors: [
            { collectorId: 'github-org', version: 2, updatedAt: '2026-12-01T00:00:00Z' },
            { collectorId: 'aws-prod', version: 1, updatedAt: '2026-12-01T00:00:00Z' },
          ],
        } as T;
      },
    });

    expect(await stored('t-1')).toEqual(['github-org', 'aws-prod']);
    expect(calls).toEqual([['evidence', 't-1', { method: 'GET', path: '/collector-configurations' }]]);
  });
});
