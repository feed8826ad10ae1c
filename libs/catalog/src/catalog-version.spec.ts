import { attestCatalog } from './catalog';
import { adoptControl, compareCatalogVersions, parseCatalogVersion } from './catalog-version';
import { smallCatalog } from './testing';

describe('catalog versions', () => {
  it('the shipped catalog carries a semantic version and release date', () => {
    expect(parseCatalogVersion(attestCatalog.release.version)).toEqual({ major: 1, minor: 0, patch: 0 });
    expect(attestCatalog.release.released).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('compares versions numerically', () => {
    expect(compareCatalogVersions('1.10.0', '1.9.3')).toBeGreaterThan(0);
    expect(compareCatalogVersions('1.0.0', '2.0.0')).toBeLessThan(0);
    expect(compareCatalogVersions('1.2.3', '1.2.3')).toBe(0);
  });

  it('rejects what is not MAJOR.MINOR.PATCH', () => {
    for (const bad of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-beta']) {
      expect(() => parseCatalogVersion(bad)).toThrow('not a catalog version');
    }
  });
});

describe('adoptControl', () => {
  it('records the catalog version the control came from', () => {
    expect(adoptControl('GOV-01', '2026-12-01T10:00:00+01:00', smallCatalog())).toEqual({
      controlId: 'GOV-01',
      catalogVersion: '1.0.0',
      adoptedAt: '2026-12-01T09:00:00.000Z',
    });
    const fromNewer = { ...smallCatalog(), release: { version: '1.3.0', released: '2027-03-01' } };
    expect(adoptControl('GOV-01', new Date('2027-03-02T00:00:00Z'), fromNewer).catalogVersion).toBe('1.3.0');
    expect(adoptControl('AC-01', new Date(0)).catalogVersion).toBe(attestCatalog.release.version);
  });

  it('rejects unknown controls and invalid times', () => {
    expect(() => adoptControl('GOV-99', '2026-12-01', smallCatalog())).toThrow('unknown control: GOV-99');
    expect(() => adoptControl('GOV-01', 'yesterday', smallCatalog())).toThrow('invalid adoption time');
  });
});
