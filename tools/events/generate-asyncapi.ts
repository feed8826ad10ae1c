/**
 * `npm run events:asyncapi`: writes docs/events/asyncapi.yaml and the generated sections of docs/events/README.md
 * from the event catalog in libs/event-contracts. Tests fail when either is out of date.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyGeneratedSections, eventCatalog, renderAsyncApiYaml } from '@attest/event-contracts';

const root = join(__dirname, '..', '..');
const asyncApiPath = join(root, 'docs/events/asyncapi.yaml');
const readmePath = join(root, 'docs/events/README.md');

mkdirSync(dirname(asyncApiPath), { recursive: true });
writeFileSync(asyncApiPath, renderAsyncApiYaml());
writeFileSync(readmePath, applyGeneratedSections(readFileSync(readmePath, 'utf8')));
execFileSync(
  process.execPath,
  [require.resolve('prettier/bin/prettier.cjs'), '--write', asyncApiPath, readmePath],
  { cwd: root, stdio: 'ignore' },
);
console.log(
  `events:asyncapi: ${eventCatalog.length} event types → docs/events/asyncapi.yaml, docs/events/README.md`,
);
