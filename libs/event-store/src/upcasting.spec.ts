import type { RecordedEvent } from './recorded-event';
import { currentSchemaVersion, EventUpcasters, upcast } from './upcasting';

const stored = (type: string, schemaVersion: number, data: unknown): RecordedEvent => ({
  eventId: 'e-1',
  tenantId: 'acme',
  streamId: 'control-1',
  streamType: 'control',
  streamVersion: 1,
  tenantSequence: 1,
  type,
  ceType: 'io.attest.test.v1',
  source: '/attest/test',
  schemaVersion,
  topic: null,
  data,
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
  position: { transactionId: '1', globalPosition: 1 },
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});

// Owner went from a name (v1) to a person (v2) to a person with a role (v3), and the event was renamed at v2.
const upcasters: EventUpcasters = {
  control: {
    OwnerSet: {
      currentVersion: 3,
      steps: {
        1: (d: { owner: string }) => ({ type: 'OwnerAssigned', data: { owner: { name: d.owner } } }),
        2: (d: { owner: { name: string } }) => ({ data: { owner: { ...d.owner, role: 'owner' } } }),
      },
    },
  },
};

describe('upcasting', () => {
  it('brings stored data step by step to the current version, renaming the type where a step says so', () => {
    const v1 = stored('OwnerSet', 1, { owner: 'Ada' });
    expect(upcast(upcasters, v1)).toEqual({
      ...v1,
      type: 'OwnerAssigned',
      schemaVersion: 3,
      data: { owner: { name: 'Ada', role: 'owner' } },
    });
    expect(upcast(upcasters, stored('OwnerSet', 2, { owner: { name: 'Ada' } })).data).toEqual({
      owner: { name: 'Ada', role: 'owner' },
    });
  });

  it('leaves current events, other types and other stream types as stored', () => {
    const current = stored('OwnerSet', 3, { owner: { name: 'Ada', role: 'owner' } });
    expect(upcast(upcasters, current)).toBe(current);
    const other = stored('ControlTested', 1, {});
    expect(upcast(upcasters, other)).toBe(other);
    expect(upcast(undefined, other)).toBe(other);
    expect(upcast(upcasters, { ...stored('OwnerSet', 1, {}), streamType: 'assessment' }).schemaVersion).toBe(1);
  });

  it('names a missing step instead of handing on data of the wrong shape', () => {
    const gap: EventUpcasters = { control: { OwnerSet: { currentVersion: 3, steps: { 2: (d) => ({ data: d }) } } } };
    expect(() => upcast(gap, stored('OwnerSet', 1, {}))).toThrow('no upcast step from version 1 for control/OwnerSet');
  });

  it('writes new events at the current version, or 1 without an upcaster', () => {
    expect(currentSchemaVersion(upcasters, 'control', 'OwnerSet')).toBe(3);
    expect(currentSchemaVersion(upcasters, 'control', 'ControlTested')).toBe(1);
    expect(currentSchemaVersion(undefined, 'control', 'OwnerSet')).toBe(1);
  });
});
