import { Logger } from '@nestjs/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import type { EnsuredSchedules, KnownTenants } from '../schedules';
import { reconcileTenantSchedules } from './reconcile-tenant-schedules';

/** Keyset pages over a sorted list, recording each page asked for. */
function tenantsOf(ids: string[]) {
  const pages: (string | undefined)[] = [];
  const knownTenants: KnownTenants = async (after, limit) => {
    pages.push(after);
    return ids.filter((id) => after === undefined || id > after).slice(0, limit);
  };
  return { knownTenants, pages };
}

/** Ensures one new schedule per tenant and one update, except for the tenants in `failing` (evidence 5xx). */
function scheduler(failing: string[] = []) {
  const ensured: string[] = [];
  const scheduleTenant = async (tenantId: string): Promise<EnsuredSchedules> => {
    if (failing.includes(tenantId)) throw new Error(`evidence answered 503 for ${tenantId}`);
    ensured.push(tenantId);
    return {
      created: [`attest-${tenantId}-collector-new`],
      updated: [`attest-${tenantId}-monitoring-sweep`],
      deleted: [],
    };
  };
  return { scheduleTenant, ensured };
}

describe('reconcileTenantSchedules', () => {
  let warnings: jest.SpyInstance;
  beforeEach(() => (warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warnings.mockRestore());

  it('ensures every known tenant, page after page, and sums what it did', async () => {
    const { knownTenants, pages } = tenantsOf(['t1', 't2', 't3', 't4', 't5']);
    const { scheduleTenant, ensured } = scheduler();

    const counts = await new MockActivityEnvironment().run(
      reconcileTenantSchedules({ knownTenants, scheduleTenant, pageSize: 2 }),
    );

    expect(ensured).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(pages).toEqual([undefined, 't2', 't4']);
    expect(counts).toEqual({ tenants: 5, created: 5, updated: 5, deleted: 0, failed: 0 });
  });

  it('heartbeats the last tenant done, and a retried attempt resumes after it with the counts so far', async () => {
    const { knownTenants } = tenantsOf(['t1', 't2', 't3']);
    const first = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    first.on('heartbeat', (d: unknown) => heartbeats.push(d));
    await first.run(reconcileTenantSchedules({ knownTenants, scheduleTenant: scheduler().scheduleTenant }));
    expect(heartbeats).toContainEqual({
      tenants: 2,
      created: 2,
      updated: 2,
      deleted: 0,
      failed: 0,
      after: 't2',
    });

    const { scheduleTenant, ensured } = scheduler();
    const retried = new MockActivityEnvironment({
      heartbeatDetails: { tenants: 2, created: 2, updated: 2, deleted: 0, failed: 0, after: 't2' },
    });
    const counts = await retried.run(reconcileTenantSchedules({ knownTenants, scheduleTenant }));

    expect(ensured).toEqual(['t3']);
    expect(counts).toEqual({ tenants: 3, created: 3, updated: 3, deleted: 0, failed: 0 });
  });

  it('goes on past a tenant that fails, and counts and logs it', async () => {
    const { knownTenants } = tenantsOf(['t1', 't2', 't3']);
    const { scheduleTenant, ensured } = scheduler(['t2']);

    const counts = await new MockActivityEnvironment().run(
      reconcileTenantSchedules({ knownTenants, scheduleTenant, pageSize: 1 }),
    );

    expect(ensured).toEqual(['t1', 't3']);
    expect(counts).toEqual({ tenants: 3, created: 2, updated: 2, deleted: 0, failed: 1 });
    expect(warnings).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId: 't2', error: 'Error: evidence answered 503 for t2' }),
    );
  });

  it('fails the run, without a retry, when every tenant failed', async () => {
    const { knownTenants } = tenantsOf(['t1', 't2']);
    const { scheduleTenant } = scheduler(['t1', 't2']);

    const run = new MockActivityEnvironment().run(reconcileTenantSchedules({ knownTenants, scheduleTenant }));

    await expect(run).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(run).rejects.toMatchObject({
      type: 'TenantSchedulesNotReconciled',
      nonRetryable: true,
      details: [{ tenants: 2, created: 0, updated: 0, deleted: 0, failed: 2 }],
    });
  });

  it('with no known tenant, does nothing and succeeds', async () => {
    const { knownTenants } = tenantsOf([]);
    const counts = await new MockActivityEnvironment().run(
      reconcileTenantSchedules({ knownTenants, scheduleTenant: scheduler().scheduleTenant }),
    );
    expect(counts).toEqual({ tenants: 0, created: 0, updated: 0, deleted: 0, failed: 0 });
  });

  it('with schedules off, goes through the tenants and changes nothing', async () => {
    const { knownTenants } = tenantsOf(['t1']);
    const counts = await new MockActivityEnvironment().run(
      reconcileTenantSchedules({ knownTenants, scheduleTenant: async () => undefined }),
    );
    expect(counts).toEqual({ tenants: 1, created: 0, updated: 0, deleted: 0, failed: 0 });
  });
});
