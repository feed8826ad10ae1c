import { contractForStoreType, validateEventData, withPlaceholderTokens } from '@attest/event-contracts';
import { AUDIT_LIFECYCLE_ACTOR, AUDIT_STREAM_TYPE, type LifecycleEventData } from './lifecycle-events';

const audit = {
  auditStreamId: '7d2c5b1e-9f3a-5c4d-8e6f-0a1b2c3d4e5f',
  auditId: 'audit-2b8e1f4a-6c3d-4e5f-9a7b-1c2d3e4f5a6b-2026',
  actor: AUDIT_LIFECYCLE_ACTOR,
};

/** One payload per event as the orchestrator builds it from these types, the optional fields left out. */
const payloads: { [T in keyof LifecycleEventData]: LifecycleEventData[T] } = {
  AuditPhaseChanged: {
    ...audit,
    period: '2026-h2',
    from: null,
    to: 'readiness',
    reason: 'lifecycle started',
    changedAt: '2026-01-05T00:00:00.000Z',
  },
  AuditDeadlineApproaching: {
    ...audit,
    phase: 'remediation',
    dueAt: '2026-04-30T00:00:00.000Z',
    remindedAt: '2026-04-23T00:00:00.000Z',
  },
  AuditDeadlineMissed: {
    ...audit,
    phase: 'remediation',
    dueAt: '2026-04-30T00:00:00.000Z',
    escalatedAt: '2026-04-30T00:00:00.000Z',
  },
  OccurrenceMissed: {
    ...audit,
    engagementId: '4b6d8f0a-2c4e-4a6b-8d0f-1a3c5e7f9b2d',
    controlId: '1c3e5a7b-9d1f-4b3d-8f5a-7c9e1b3d5f7a',
    frequency: 'quarterly',
    dueOn: '2026-09-30',
    graceDays: 5,
    detectedAt: '2026-10-05T00:00:00.000Z',
  },
  AuditDecisionTaken: {
    ...audit,
    actor: { type: 'user', id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', displayName: 'Dana Reyes' },
    decision: 'audit-type',
    type: 'type-1',
    asOf: '2026-06-30',
    decidedAt: '2026-06-15T10:00:00.000Z',
  },
};

describe('lifecycle event payloads', () => {
  it.each(Object.entries(payloads))(
    '%s as typed is valid against its published contract',
    (storeType, data) => {
      const contract = contractForStoreType('lifecycle', storeType);
      if (!contract) throw new Error(`no lifecycle contract for ${storeType}`);
      expect(contract).toMatchObject({ streamType: AUDIT_STREAM_TYPE, subjectField: 'auditStreamId' });
      expect(validateEventData(contract.ceType, withPlaceholderTokens(contract.ceType, data))).toEqual([]);
    },
  );

  it('refuses a tenant id in the payload and a workflow id of another shape', () => {
    const ceType = 'io.attest.lifecycle.audit-phase-changed.v1';
    const tenantId = '2b8e1f4a-6c3d-4e5f-9a7b-1c2d3e4f5a6b';
    expect(validateEventData(ceType, { ...payloads.AuditPhaseChanged, tenantId })).toContain(
      "/ must not have property 'tenantId'",
    );
    expect(validateEventData(ceType, { ...payloads.AuditPhaseChanged, auditId: 'acme-2026' })).toEqual([
      expect.stringMatching(/^\/auditId must match pattern/),
    ]);
  });
});
