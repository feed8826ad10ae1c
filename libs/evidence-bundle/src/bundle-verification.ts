import type { BundleContents } from './bundle-archive';
import { bundleFilePath, CHAIN_FILE, MANIFEST_FILE, type EvidenceBundleStatement } from './statement';

/** One check of a verification, named so a failure says what to look at (a file, an item, a chain sequence). */
export interface BundleCheck {
  check: 'signature' | 'statement' | 'files' | 'items' | 'chain' | 'checkpoint' | 'earlier-checkpoint';
  ok: boolean;
  /** What was verified, or every problem found. */
  details: string[];
}

export interface BundleReport {
  ok: boolean;
  bundleId?: string;
  tenantId?: string;
  checks: BundleCheck[];
}

export function bundleReport(checks: BundleCheck[], statement?: EvidenceBundleStatement): BundleReport {
  return {
    ok: checks.length > 0 && checks.every((c) => c.ok),
    bundleId: statement?.predicate.bundleId,
    tenantId: statement?.predicate.tenantId,
    checks,
  };
}

/**
 * Every file against the signed subjects: each subject present with its SHA-256, nothing in the archive the
 * statement does not list, and each item's hash the one its subject names.
 */
export function fileProblems(statement: EvidenceBundleStatement, contents: BundleContents): string[] {
  const problems = [...contents.problems];
  const listed = new Set<string>([MANIFEST_FILE]);
  for (const subject of statement.subject) {
    listed.add(subject.name);
    const file = contents.files.get(subject.name);
    if (!file) problems.push(`${subject.name}: missing`);
    else if (file.sha256 !== subject.digest.sha256)
      problems.push(`${subject.name}: SHA-256 ${file.sha256}, signed ${subject.digest.sha256}`);
  }
  if (!statement.subject.some((s) => s.name === CHAIN_FILE)) problems.push(`${CHAIN_FILE}: not a subject`);
  for (const name of contents.files.keys())
    if (!listed.has(name)) problems.push(`${name}: not in the manifest`);
  const subjects = new Map(statement.subject.map((s) => [s.name, s.digest.sha256]));
  for (const item of statement.predicate.items) {
    const path = bundleFilePath(item);
    if (subjects.get(path) !== item.sha256)
      problems.push(`item ${item.itemId} v${item.version}: its hash is not its subject's (${path})`);
    const file = contents.files.get(path);
    if (file && file.sizeBytes !== item.sizeBytes)
      problems.push(`${path}: ${file.sizeBytes} bytes, the manifest says ${item.sizeBytes}`);
  }
  return problems;
}

/** A report as the command prints it: one line per check, each problem indented under it. */
export function formatBundleReport(report: BundleReport): string {
  const lines = [
    `bundle ${report.bundleId ?? '(unknown)'}${report.tenantId ? ` of tenant ${report.tenantId}` : ''}`,
  ];
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}`);
    for (const d of c.details) lines.push(`     ${d}`);
  }
  lines.push(report.ok ? 'VERIFIED' : 'NOT VERIFIED');
  return `${lines.join('\n')}\n`;
}
