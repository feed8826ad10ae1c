import { loadOrchestratorConfig } from './orchestrator-config';

const required = {
  ATTEST_OIDC_ISSUER: 'http://127.0.0.1:8180/realms/attest',
  ATTEST_ORCHESTRATOR_CLIENT_SECRET: 'secret',
};

describe('loadOrchestratorConfig: the schedule reconcile interval', () => {
  it('reconciles every 15 minutes unless ATTEST_ORCHESTRATOR_SCHEDULE_RECONCILE_INTERVAL_MS says otherwise', () => {
    expect(loadOrchestratorConfig(required).schedules).toMatchObject({ reconcileMs: 15 * 60_000 });
    const hourly = { ...required, ATTEST_ORCHESTRATOR_SCHEDULE_RECONCILE_INTERVAL_MS: '3600000' };
    expect(loadOrchestratorConfig(hourly).schedules).toMatchObject({ reconcileMs: 3_600_000 });
  });

  it('refuses an interval under a minute, naming the variable', () => {
    const busy = { ...required, ATTEST_ORCHESTRATOR_SCHEDULE_RECONCILE_INTERVAL_MS: '1000' };
    expect(() => loadOrchestratorConfig(busy)).toThrow(/ATTEST_ORCHESTRATOR_SCHEDULE_RECONCILE_INTERVAL_MS/);
  });

  it('keeps no schedules, so reconciles none, with ATTEST_ORCHESTRATOR_SCHEDULES=false', () => {
    expect(loadOrchestratorConfig({ ...required, ATTEST_ORCHESTRATOR_SCHEDULES: 'false' }).schedules).toBe(
      false,
    );
  });
});
