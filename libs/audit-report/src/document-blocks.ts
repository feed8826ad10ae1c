/**
 * A small, format-neutral document: the report and the bridge letter are written once as blocks of plain text,
 * then laid out as HTML or PDF. Keeping the wording out of the renderers means both formats say the same thing,
 * and only the renderers deal with escaping and layout.
 */

export type Block =
  /** Levels 1 and 2 are listed in the table of contents when the document has one. */
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'note' | 'small' }
  | { kind: 'list'; items: string[] }
  /** Label–value pairs, e.g. a control's frequency, population and sample. */
  | { kind: 'fields'; fields: [label: string, value: string][] }
  /** Cells are plain text; a line break in a cell starts a new line. `widths` are relative column weights. */
  | { kind: 'table'; header: string[]; rows: string[][]; widths?: number[]; small?: boolean };

export interface DocumentModel {
  title: string;
  /** Lines under the title: organization, engagement, period. */
  subtitle: string[];
  /** A highlighted notice under the title, e.g. that the report is a draft. */
  notice?: string;
  tableOfContents: boolean;
  blocks: Block[];
  /** The last line of the document, e.g. when and by what it was generated. */
  colophon: string;
}
