import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontMatter, type FrontMatterValue } from './front-matter';

/** A policy template: Markdown with {{placeholders}} the organization fills in, plus its front matter. */
export interface PolicyTemplate {
  id: string;
  title: string;
  version: string;
  summary: string;
  /** Usually the placeholder "{{policy_owner}}". */
  owner: string;
  reviewFrequency: string;
  /** Library controls the policy supports. */
  controls: string[];
  /** Criteria the policy supports. */
  criteria: string[];
  /** Placeholder names used in the body, without braces. */
  placeholders: string[];
  /** The Markdown after the front matter. */
  body: string;
}

const TEXT_KEYS = ['id', 'title', 'version', 'summary', 'owner', 'reviewFrequency'] as const;
const LIST_KEYS = ['controls', 'criteria', 'placeholders'] as const;
const KNOWN_KEYS = new Set<string>([...TEXT_KEYS, ...LIST_KEYS]);

export const POLICY_TEMPLATE_DIR = join(__dirname, '..', 'data', 'policies');

export class PolicyTemplateError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'PolicyTemplateError';
  }
}

/** Reads one template; every front-matter key is required and no other key is allowed. */
export function parsePolicyTemplate(markdown: string, source = 'policy template'): PolicyTemplate {
  let parsed;
  try {
    parsed = parseFrontMatter(markdown);
  } catch (error) {
    throw new PolicyTemplateError(source, (error as Error).message);
  }
  const { data, body } = parsed;
  const unknown = Object.keys(data).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) throw new PolicyTemplateError(source, `unknown keys: ${unknown.join(', ')}`);
  const text = (key: (typeof TEXT_KEYS)[number]) => {
    const value: FrontMatterValue | undefined = data[key];
    if (typeof value !== 'string') throw new PolicyTemplateError(source, `"${key}" must be text`);
    return value;
  };
  const list = (key: (typeof LIST_KEYS)[number]) => {
    const value: FrontMatterValue | undefined = data[key];
    if (!Array.isArray(value)) throw new PolicyTemplateError(source, `"${key}" must be a list`);
    return value;
  };
  return {
    id: text('id'),
    title: text('title'),
    version: text('version'),
    summary: text('summary'),
    owner: text('owner'),
    reviewFrequency: text('reviewFrequency'),
    controls: list('controls'),
    criteria: list('criteria'),
    placeholders: list('placeholders'),
    body,
  };
}

let shipped: PolicyTemplate[] | undefined;

/** The policy templates shipped in libs/catalog/data/policies, sorted by id (read once). */
export function policyTemplates(): PolicyTemplate[] {
  shipped ??= readdirSync(POLICY_TEMPLATE_DIR)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => parsePolicyTemplate(readFileSync(join(POLICY_TEMPLATE_DIR, file), 'utf8'), file))
    .sort((a, b) => a.id.localeCompare(b.id));
  return shipped;
}

export function policyTemplateById(id: string): PolicyTemplate | undefined {
  return policyTemplates().find((p) => p.id === id);
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The placeholder names that appear in a text, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** The body with every {{placeholder}} replaced; throws naming all placeholders without a value. */
export function fillPolicyTemplate(template: PolicyTemplate, values: Record<string, string>): string {
  const missing = placeholdersIn(template.body).filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new PolicyTemplateError(template.id, `no value for ${missing.join(', ')}`);
  }
  return template.body.replace(PLACEHOLDER, (_match, name: string) => values[name]);
}
