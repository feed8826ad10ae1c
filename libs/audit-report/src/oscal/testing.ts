import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs the independent OSCAL validator (tools/oscal/validate-oscal-assessment.py: compliance-trestle and NIST's
 * OSCAL 1.2.3 JSON schema) on documents, for the tests of this library and of the services that export them
 * (`@attest/audit-report/testing`). Not for production code: it needs the venv that
 * tools/oscal/ensure-assessment-validator.sh installs (npm test runs it).
 */

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const VALIDATOR_PYTHON = join(REPO_ROOT, '.local', 'oscal-assessment-validator', 'bin', 'python');
const VALIDATOR_SCRIPT = join(REPO_ROOT, 'tools', 'oscal', 'validate-oscal-assessment.py');
const NIST_SCHEMA = join(REPO_ROOT, '.local', 'oscal-schema', '1.2.3', 'oscal_complete_schema.json');

export interface OscalValidation {
  valid: boolean;
  /** `assessment-plan` or `assessment-results` when valid. */
  model?: string;
  /** Every problem found, one per line, each naming the validator that found it. */
  error?: string;
}

/** Validates documents by name (`ap.json` → document); returns the validator's name and a verdict per name. */
export function validateOscalAssessments(documents: Record<string, object>): {
  validator: string;
  results: Map<string, OscalValidation>;
} {
  if (!existsSync(VALIDATOR_PYTHON) || !existsSync(NIST_SCHEMA)) {
    throw new Error(
      'the OSCAL assessment validator is not installed: run `bash tools/oscal/ensure-assessment-validator.sh` ' +
        '(npm test does)',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'attest-oscal-assessment-'));
  try {
    const files = Object.entries(documents).map(([name, document]) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(document, null, 2));
      return file;
    });
    const run = spawnSync(VALIDATOR_PYTHON, [VALIDATOR_SCRIPT, '--schema', NIST_SCHEMA, ...files], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.error) throw run.error;
    let parsed: { validator: string; results: ({ file: string } & OscalValidation)[] };
    try {
      parsed = JSON.parse(run.stdout) as typeof parsed;
    } catch {
      throw new Error(`the OSCAL validator printed no result (exit ${run.status}): ${run.stderr}`);
    }
    return {
      validator: parsed.validator,
      results: new Map(parsed.results.map(({ file, ...verdict }) => [file.slice(dir.length + 1), verdict])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
