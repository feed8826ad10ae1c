import { categoryById, criterionById, isCategoryId, pointOfFocusByRef, seriesById } from './criteria';
import { smallCatalog } from './testing';

describe('criteria lookups', () => {
  it('finds a criterion by id', () => {
    const c = criterionById('CC6.1');
    expect(c).toMatchObject({ id: 'CC6.1', category: 'security', series: 'CC6', cosoPrinciple: null });
    expect(c?.pointsOfFocus[0].ref).toBe('CC6.1.1');
    expect(criterionById('CC1.3')?.cosoPrinciple).toBe(3);
    expect(criterionById('CC10.1')).toBeUndefined();
  });

  it('finds a point of focus with its criterion', () => {
    const found = pointOfFocusByRef('P4.3.2');
    expect(found?.criterion.id).toBe('P4.3');
    expect(found?.pointOfFocus.ref).toBe('P4.3.2');
    expect(found?.pointOfFocus.privacyRoles?.length).toBeGreaterThan(0);
    expect(pointOfFocusByRef('CC6.5.2')).toBeUndefined();
  });

  it('finds categories and series', () => {
    expect(categoryById('privacy')?.name).toBe('Privacy');
    expect(seriesById('CC8')).toMatchObject({ category: 'security' });
    expect(seriesById('PI1')).toMatchObject({ category: 'processing-integrity' });
    expect(isCategoryId('confidentiality')).toBe(true);
    expect(isCategoryId('integrity')).toBe(false);
  });

  it('looks up in the catalog it is given', () => {
    expect(criterionById('CC1.1', smallCatalog())?.pointsOfFocus).toHaveLength(3);
    expect(criterionById('CC6.1', smallCatalog())).toBeUndefined();
  });
});
