import { attestCatalog } from '@attest/catalog';
import { CatalogVersions } from './catalog-versions';
import { exampleCatalogV1, exampleCatalogV2 } from './example-catalogs';
import { adoptedControlIdFor, controlSetIdFor } from './ids';

describe('catalog versions', () => {
  it('holds the shipped catalog by default', () => {
    const versions = new CatalogVersions();
    expect(versions.versions()).toEqual([attestCatalog.release.version]);
    expect(versions.latest()).toBe(attestCatalog);
  });

  it('orders versions and refuses unknown ones', () => {
    const versions = new CatalogVersions([exampleCatalogV2(), exampleCatalogV1()]);
    expect(versions.versions()).toEqual(['1.0.0', '2.0.0']);
    expect(versions.latest().release.version).toBe('2.0.0');
    expect(versions.has('1.0.0')).toBe(true);
    expect(() => versions.require('1.5.0')).toThrow(
      expect.objectContaining({ code: 'unknown-catalog-version' }),
    );
    expect(() => new CatalogVersions([])).toThrow(TypeError);
  });
});

describe('derived ids', () => {
  it('are stable name-based UUIDs, one control set per tenant and one control per template and set', () => {
    expect(controlSetIdFor('lumen')).toBe(controlSetIdFor('lumen'));
    expect(controlSetIdFor('lumen')).not.toBe(controlSetIdFor('acme'));
    expect(controlSetIdFor('lumen')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(adoptedControlIdFor(controlSetIdFor('lumen'), 'AC-01')).not.toBe(
      adoptedControlIdFor(controlSetIdFor('acme'), 'AC-01'),
    );
  });
});
