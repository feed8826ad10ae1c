import { DomainError } from '@attest/decider';
import type { PostgresEventStore } from '@attest/event-store';
import { logBoundOf, parseAsOf } from './as-of';

const NOW = new Date('2026-03-02T09:00:00.000Z');

function refusal(value: string): string | undefined {
  try {
    parseAsOf(value, NOW);
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
}

describe('?asOf=', () => {
  it('reads an RFC 3339 date-time as the UTC instant it names, to the millisecond', () => {
    expect(parseAsOf('2026-03-01T10:00:00+01:00', NOW)).toEqual({ recordedAt: '2026-03-01T09:00:00.000Z' });
    expect(parseAsOf('2026-03-01t09:00:00.123456z', NOW)).toEqual({ recordedAt: '2026-03-01T09:00:00.123Z' });
    expect(parseAsOf('2026-03-02T09:00:00Z', NOW)).toEqual({ recordedAt: '2026-03-02T09:00:00.000Z' });
  });

  it('reads position:<n> as a global log position', () => {
    expect(parseAsOf('position:52814', NOW)).toEqual({ globalPosition: 52814 });
  });

  it.each([
    ['a date without a time', '2026-03-01'],
    ['a time without a zone', '2026-03-01T09:00:00'],
    ['a day that does not exist', '2026-02-30T09:00:00Z'],
    ['an hour that does not exist', '2026-03-01T24:00:00Z'],
    ['a position that is not a number', 'position:abc'],
    ['position 0', 'position:0'],
    ['a position beyond exact integers', 'position:1234567890123456'],
    ['anything else', 'yesterday'],
  ])('refuses %s as invalid-as-of', (_name, value) => {
    expect(refusal(value)).toBe('invalid-as-of');
  });

  it('refuses a time after now: the log has nothing there yet', () => {
    expect(refusal('2026-03-02T09:00:00.001Z')).toBe('as-of-in-future');
    expect(refusal('2026-03-02T10:00:01+01:00')).toBe('as-of-in-future');
  });

  it("cuts the log at a time as given, at a position only once it is the tenant's", async () => {
    const positions = new Map([['acme:7', { transactionId: '901', globalPosition: 7 }]]);
    const store = {
      positionOf: async (n: number, tenantId?: string) => positions.get(`${tenantId}:${n}`) ?? null,
    } as unknown as PostgresEventStore;
    expect(await logBoundOf(store, 'acme', { recordedAt: '2026-03-01T09:00:00.000Z' })).toEqual({
      recordedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(await logBoundOf(store, 'acme', { globalPosition: 7 })).toEqual({
      position: { transactionId: '901', globalPosition: 7 },
    });
    await expect(logBoundOf(store, 'globex', { globalPosition: 7 })).rejects.toMatchObject({
      code: 'unknown-log-position',
    });
  });
});
