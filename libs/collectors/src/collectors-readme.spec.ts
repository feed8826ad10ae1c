import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COLLECTORS } from './collector-registry';

/** The README's fact-model tables are what monitoring-test authors read: a fact the code reports must be in them. */
describe('the collectors README', () => {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  // Prettier pads table cells, so a row is matched by its first cell whatever the padding.
  const row = (name: string) => new RegExp(`^\\| \`${name}\` +\\|`, 'm');
  const section = (heading: string) => {
    const start = readme.indexOf(heading);
    const next = readme.indexOf('\n## ', start + heading.length);
    return start < 0 ? '' : readme.slice(start, next < 0 ? undefined : next);
  };

  it.each(COLLECTORS.map((collector) => [collector.id, collector] as const))(
    'documents every config property, resource type and attribute of %s',
    (id, collector) => {
      const text = section(`## \`${id}\``);
      expect(text).not.toBe('');
      for (const property of Object.keys(collector.configSchema.properties))
        expect(text).toMatch(row(property));
      for (const entry of collector.factModel) {
        const table = text.slice(text.indexOf(`### \`${entry.resourceType}\``));
        expect(text).toContain(`### \`${entry.resourceType}\``);
        for (const attribute of Object.keys(entry.attributes)) expect(table).toMatch(row(attribute));
      }
    },
  );
});
