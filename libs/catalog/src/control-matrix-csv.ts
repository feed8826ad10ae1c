import { attestCatalog, type Catalog } from './catalog';

/** One CSV field per RFC 4180: quoted (with doubled quotes) when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRow(values: readonly string[]): string {
  return values.map(csvField).join(',');
}

/**
 * The control matrix: one row per control (by id) with its id, name, domain, frequency and owner, then one column
 * per criterion in catalog order holding "X" where the control addresses the criterion. CRLF line ends (RFC 4180).
 */
export function controlMatrixCsv(catalog: Catalog = attestCatalog): string {
  const criteria = catalog.criteria.map((c) => c.id);
  const header = ['id', 'name', 'domain', 'frequency', 'owner', ...criteria];
  const rows = [...catalog.controls]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((control) => {
      const addressed = new Set(control.criteria);
      return [
        control.id,
        control.name,
        control.domain,
        control.frequency,
        control.ownerRole,
        ...criteria.map((id) => (addressed.has(id) ? 'X' : '')),
      ];
    });
  return [header, ...rows].map(csvRow).join('\r\n') + '\r\n';
}
