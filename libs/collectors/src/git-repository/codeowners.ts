/** Where GitHub looks for a CODEOWNERS file, in the order it looks (the first one found is in effect). */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export interface CodeownersSummary {
  /** Lines that assign a path pattern (with or without owners). */
  rules: number;
  /** Rules with no owner: they remove ownership from the paths they match. */
  rulesWithoutOwners: number;
  /** Distinct owners named (users, teams, e-mails); counted, not listed, since owners are people. */
  ownerCount: number;
  /** A `*` rule with owners exists, so every file has at least one owner. */
  catchAll: boolean;
}

/**
 * Reads a CODEOWNERS file as GitHub (and GitLab, for its section headers) does: `#` starts a comment unless escaped
 * (`\#` at the start of a pattern), a rule is a pattern followed by zero or more owners.
 */
export function summarizeCodeowners(text: string): CodeownersSummary {
  let rules = 0;
  let rulesWithoutOwners = 0;
  let catchAll = false;
  const owners = new Set<string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    // GitLab section headers: "[Section]", "^[Optional section]", optionally with default owners after "]".
    if (/^\^?\[[^\]]+\]/.test(line)) continue;
    const tokens = line.split(/\s+/);
    const commentAt = tokens.findIndex((token, index) => index > 0 && token.startsWith('#'));
    const [pattern, ...lineOwners] = commentAt < 0 ? tokens : tokens.slice(0, commentAt);
    rules += 1;
    if (lineOwners.length === 0) rulesWithoutOwners += 1;
    lineOwners.forEach((owner) => owners.add(owner.toLowerCase()));
    if (pattern === '*' && lineOwners.length > 0) catchAll = true;
  }
  return { rules, rulesWithoutOwners, ownerCount: owners.size, catchAll };
}
