import { controlById, controlsFor, controlsForPointOfFocus } from './controls';
import { smallCatalog } from './testing';

describe('control lookups', () => {
  it('finds a control by id', () => {
    const control = controlById('AC-01');
    expect(control?.domain).toBe('access-control');
    expect(control?.evidence.length).toBeGreaterThan(0);
    expect(controlById('AC-00')).toBeUndefined();
  });

  it('controlsFor lists, by id, every control that addresses a criterion', () => {
    const ids = controlsFor('CC6.1').map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual([...ids].sort());
    expect(controlsFor('CC6.1').every((c) => c.criteria.includes('CC6.1'))).toBe(true);
  });

  it('worked example on the small catalog', () => {
    const catalog = smallCatalog();
    expect(controlsFor('CC1.1', catalog).map((c) => c.id)).toEqual(['GOV-01', 'GOV-02']);
    expect(controlsFor('CC1.2', catalog).map((c) => c.id)).toEqual(['GOV-02']);
    expect(controlsForPointOfFocus('CC1.1.2', catalog).map((c) => c.id)).toEqual(['GOV-01', 'GOV-02']);
    expect(controlsForPointOfFocus('CC1.1.3', catalog)).toEqual([]);
  });

  it('rejects unknown criteria and points of focus', () => {
    expect(() => controlsFor('CC10.1')).toThrow('unknown criterion: CC10.1');
    expect(() => controlsForPointOfFocus('CC6.5.9')).toThrow('unknown point of focus: CC6.5.9');
  });
});
