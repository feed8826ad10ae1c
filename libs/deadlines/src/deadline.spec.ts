import { deadlineIdFor, subjectOf, type Deadline } from './deadline';

const task: Deadline = {
  kind: 'remediation-task',
  taskId: '4a6c8e0b-2d4f-4a6b-8c0d-1e3f5a7b9c2d',
  assessmentId: '3f1c9a52-8d4e-4b7a-9c21-5e6f7a8b9c0d',
  dueDate: '2026-04-15',
};
const acceptance: Deadline = {
  kind: 'policy-acceptance',
  policyId: '8e0a2c4d-6f8b-4d1e-9a3c-5b7d9f1a3c5e',
  version: '1.0.0',
  personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c',
  dueDate: '2026-04-15',
};

describe('deadline ids', () => {
  it('are version-5 UUIDs, the same for the same tenant, subject and due day whatever the form of the date', () => {
    const id = deadlineIdFor('acme', task);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deadlineIdFor('acme', { ...task })).toBe(id);
    expect(deadlineIdFor('acme', { ...task, dueDate: '2026-04-15T17:00:00.000Z' })).toBe(id);
  });

  it('differ per tenant, due day, subject, person and version: each is a deadline of its own', () => {
    const ids = [
      deadlineIdFor('acme', task),
      deadlineIdFor('globex', task),
      deadlineIdFor('acme', { ...task, dueDate: '2026-04-16' }),
      deadlineIdFor('acme', { ...task, taskId: '5b7d9f1a-3e5f-4b7c-9d1e-2f4a6b8c0d2e' }),
      deadlineIdFor('acme', acceptance),
      deadlineIdFor('acme', { ...acceptance, personId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' }),
      deadlineIdFor('acme', { ...acceptance, version: '1.1.0' }),
      deadlineIdFor('acme', { ...acceptance, dueDate: '2027-04-15' }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('name the subject by its ids only: nothing else a caller passes reaches the id or the events', () => {
    const row = { ...task, title: 'Enforce MFA', owner: { displayName: 'Priya Raman' } } as Deadline;
    expect(subjectOf(row)).toEqual({ taskId: task.taskId, assessmentId: task.assessmentId });
    expect(deadlineIdFor('acme', row)).toBe(deadlineIdFor('acme', task));
  });

  it('name an evidence expiry by the item and its valid-until day: a corrected version for the same period is not a new deadline', () => {
    const expiry: Deadline = {
      kind: 'evidence-expiry',
      itemId: '3b8f2c1d-5e6a-4f7b-9c8d-0e1f2a3b4c5d',
      version: 1,
      controlIds: ['5c3e1a9b-7d5f-4b3a-9e1c-8f6d4b2a0c9e'],
      dueDate: '2026-06-30',
    };
    const id = deadlineIdFor('acme', expiry);
    expect(deadlineIdFor('acme', { ...expiry, version: 2, controlIds: [] })).toBe(id);
    expect(deadlineIdFor('acme', { ...expiry, dueDate: '2026-09-30' })).not.toBe(id);
    expect(subjectOf(expiry)).toEqual({ itemId: expiry.itemId, version: 1, controlIds: expiry.controlIds });
  });
});
