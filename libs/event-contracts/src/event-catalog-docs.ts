import { EVENT_CONTEXTS, contractsOfContext, eventCatalog, eventContexts, topicFor } from './event-catalog';
import { CLOUD_EVENT_HEADERS, DEAD_LETTER_HEADERS, type HeaderContract } from './event-headers';
import { personalFieldsOf } from './personal-data';

/** The parts of docs/events/README.md written from the catalog, each between `<!-- generated:<name>:start/end -->`. */
export type GeneratedSection = 'event-types' | 'headers' | 'dead-letter-headers' | 'personal-data';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function headerTable(headers: readonly HeaderContract[]): string {
  return table(
    ['Header', 'Required', 'Meaning'],
    headers.map((h) => [`\`${h.name}\``, h.required ? 'yes' : 'no', h.description]),
  );
}

function eventTypeTables(): string {
  return EVENT_CONTEXTS.map((context) => {
    const info = eventContexts[context];
    const rows = contractsOfContext(context).map((c) => [
      `[\`${c.ceType}\`](../../libs/event-contracts/schemas/${context}/${c.ceType}.json)`,
      `\`${c.subjectField}\``,
      `\`${c.businessTimeField}\``,
      c.summary,
    ]);
    return [
      `### \`${topicFor(context)}\``,
      '',
      `${info.description} Published by the ${info.service} service (\`ce_source\` \`${info.source}\`).`,
      '',
      table(['`ce_type` (schema)', 'Key = `ce_subject`', 'Business time', 'What happened'], rows),
    ].join('\n');
  }).join('\n\n');
}

/** Per event type, its sealed personal fields and whose key seals each (docs/events/README.md). */
function personalDataTable(): string {
  const rows = eventCatalog.flatMap((c) =>
    personalFieldsOf(c.ceType).map((f) => [`\`${c.ceType}\``, `\`${f.pointer}\``, `\`${f.subject}\``]),
  );
  return table(['`ce_type`', 'Personal field (sealed)', 'Person (subject)'], rows);
}

export function renderGeneratedSections(): Record<GeneratedSection, string> {
  return {
    'event-types': eventTypeTables(),
    headers: headerTable(CLOUD_EVENT_HEADERS),
    'dead-letter-headers': headerTable(DEAD_LETTER_HEADERS),
    'personal-data': personalDataTable(),
  };
}

const markers = (name: string) =>
  [`<!-- generated:${name}:start -->`, `<!-- generated:${name}:end -->`] as const;

/** The text between a section's markers. Throws when the markers are missing. */
export function generatedSection(markdown: string, name: GeneratedSection): string {
  const [start, end] = markers(name);
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return markdown.slice(from + start.length, to);
}

/** The markdown with each generated section replaced. */
export function applyGeneratedSections(markdown: string, sections = renderGeneratedSections()): string {
  let out = markdown;
  for (const [name, content] of Object.entries(sections)) {
    const [start, end] = markers(name);
    const old = generatedSection(out, name as GeneratedSection);
    out = out.replace(`${start}${old}${end}`, () => `${start}\n\n${content}\n\n${end}`);
  }
  return out;
}

/**
 * Markdown reduced to what a formatter does not change: blank lines dropped, runs of spaces collapsed, table cells
 * trimmed and separator rows reduced to `---`. Used to check the committed README against a fresh generation.
 */
export function normalizeMarkdown(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      if (!line.startsWith('|')) return line.replace(/\s+/g, ' ');
      const cells = line
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\s+/g, ' '));
      return cells.every((c) => /^:?-+:?$/.test(c)) ? cells.map(() => '---').join('|') : cells.join('|');
    });
}
