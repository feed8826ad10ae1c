import { attestCatalog, controlById } from '@attest/catalog';
import { COLLECTORS, collectorById } from './collector-registry';
import { CollectorConfigError, parseCollectorConfig } from './collector';

const catalogTestIds = new Set(attestCatalog.controls.flatMap((control) => control.automatedTests));

describe('the collector registry', () => {
  it('has unique ids, each found by collectorById', () => {
    const ids = COLLECTORS.map((collector) => collector.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(collectorById(id)?.id).toBe(id);
    expect(collectorById('no-such-collector')).toBeUndefined();
  });

  it.each(COLLECTORS.map((collector) => [collector.id, collector] as const))(
    '%s serves catalog controls and monitoring tests that exist',
    (_id, collector) => {
      expect(collector.serves.catalogControlIds.length).toBeGreaterThan(0);
      for (const controlId of collector.serves.catalogControlIds)
        expect(controlById(controlId)?.id).toBe(controlId);
      for (const testId of collector.serves.testIds) expect(catalogTestIds).toContain(testId);
    },
  );

  it.each(COLLECTORS.map((collector) => [collector.id, collector] as const))(
    '%s documents a fact model and a config schema that compiles in strict mode',
    (_id, collector) => {
      expect(collector.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(collector.factModel.length).toBeGreaterThan(0);
      for (const entry of collector.factModel)
        expect(Object.keys(entry.attributes).length).toBeGreaterThan(0);
      // A schema typo throws while compiling (strict mode), not a CollectorConfigError; the schema is closed.
      expect(() => parseCollectorConfig(collector, { 'not-a-property': true })).toThrow(CollectorConfigError);
      for (const property of Object.values(collector.configSchema.properties)) {
        if (property['x-secret']) expect(property.writeOnly).toBe(true);
      }
    },
  );
});
