import { concludeCriterion, missingShare, roundScore, type PointStatus } from './criterion-conclusion';

const cc81 = { criterionId: 'CC8.1', category: 'security' as const, series: 'CC8' };
const a13 = { criterionId: 'A1.3', category: 'availability' as const, series: 'A1' };
const times = (n: number, status: PointStatus): PointStatus[] => Array(n).fill(status);

describe('concludeCriterion', () => {
  it('is met only when every applicable point is implemented', () => {
    expect(concludeCriterion(cc81, ['implemented', 'implemented', 'not-applicable'])).toEqual({
      ...cc81,
      weight: 3,
      conclusion: 'met',
      score: 100,
      points: {
        applicable: 2,
        implemented: 2,
        partiallyImplemented: 0,
        notImplemented: 0,
        notAssessed: 0,
        notApplicable: 1,
      },
    });
    // 17 of 18 implemented and one not assessed: 94.4, not met in full
    const oneUnassessed = concludeCriterion(cc81, [...times(17, 'implemented'), 'not-assessed']);
    expect(oneUnassessed).toMatchObject({ conclusion: 'partially-met', score: 94.4 });
  });

  it('is not met below 50 and partially met from 50', () => {
    // (1 + 0 + 0) / 3 = 33.3
    expect(concludeCriterion(a13, ['implemented', 'not-implemented', 'not-assessed'])).toMatchObject({
      weight: 2,
      conclusion: 'not-met',
      score: 33.3,
    });
    // (1 + 0) / 2 = 50: partially met
    expect(concludeCriterion(a13, ['implemented', 'not-implemented'])).toMatchObject({
      conclusion: 'partially-met',
      score: 50,
    });
    // every point of CC8.1 not implemented: 0
    expect(concludeCriterion(cc81, times(18, 'not-implemented'))).toMatchObject({
      conclusion: 'not-met',
      score: 0,
    });
  });

  it('counts a point nobody assessed as earning nothing', () => {
    expect(concludeCriterion(a13, ['implemented', 'not-assessed']).score).toBe(50);
    expect(concludeCriterion(a13, ['not-assessed', 'not-assessed'])).toMatchObject({
      conclusion: 'not-met',
      score: 0,
      points: { applicable: 2, notAssessed: 2 },
    });
  });

  it('never scores a criterion whose points are all not applicable 100: it needs a declaration', () => {
    expect(concludeCriterion(a13, ['not-applicable', 'not-applicable'])).toEqual({
      ...a13,
      weight: 2,
      conclusion: 'not-met',
      score: null,
      points: {
        applicable: 0,
        implemented: 0,
        partiallyImplemented: 0,
        notImplemented: 0,
        notAssessed: 0,
        notApplicable: 2,
      },
      justificationRequired: true,
    });
  });

  it('reads not applicable, with the reason, when the system description declares it not relevant', () => {
    const reason = 'The platform keeps no backups of its own: customers own their data stores.';
    expect(
      concludeCriterion(a13, ['not-applicable', 'not-applicable'], { criterionId: 'A1.3', reason }),
    ).toMatchObject({ conclusion: 'not-applicable', score: null, reason });
    // whatever the answers say
    expect(
      concludeCriterion(a13, ['not-implemented', 'not-assessed'], { criterionId: 'A1.3', reason }),
    ).toMatchObject({ conclusion: 'not-applicable', score: null });
  });
});

describe('missingShare', () => {
  it('is 1 − mean credit, null with nothing applicable', () => {
    const tally = (implemented: number, partiallyImplemented: number, applicable: number) => ({
      applicable,
      implemented,
      partiallyImplemented,
      notImplemented: applicable - implemented - partiallyImplemented,
      notAssessed: 0,
      notApplicable: 0,
    });
    expect(missingShare(tally(2, 0, 2))).toBe(0);
    expect(missingShare(tally(1, 1, 3))).toBe(0.5);
    expect(missingShare(tally(3, 0, 4))).toBe(0.25);
    expect(missingShare(tally(0, 0, 0))).toBeNull();
  });
});

describe('roundScore', () => {
  it('rounds half up to one decimal despite binary floating point', () => {
    expect(roundScore(1.25)).toBe(1.3);
    expect(roundScore(6.25)).toBe(6.3);
    // 100 × 21.625 / 22 = 98.295…
    expect(roundScore((100 * 21.625) / 22)).toBe(98.3);
    // 0.1 × 3 × 100 / 3 is 10.000000000000002 in binary
    expect(roundScore(((0.1 * 3) / 3) * 100)).toBe(10);
    expect(roundScore(31.25)).toBe(31.3);
  });
});
