/**
 * `npm run events:lock`: records new event types and compatible schema changes in
 * libs/event-contracts/schemas.lock.json, and refuses (exit 1, lock untouched) incompatible ones and removed types.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  eventSchemasByCeType,
  lockRefusals,
  parseSchemaLock,
  reviewAgainstLock,
  SCHEMA_LOCK_COMMENT,
  schemaLockJson,
  updatedLock,
  type SchemaLock,
} from '@attest/event-contracts';

const root = join(__dirname, '..', '..');
const lockPath = join(root, 'libs/event-contracts/schemas.lock.json');

function main(): number {
  const hadLock = existsSync(lockPath);
  const lock: SchemaLock = hadLock
    ? parseSchemaLock(JSON.parse(readFileSync(lockPath, 'utf8')))
    : { $comment: SCHEMA_LOCK_COMMENT, eventTypes: {} };
  const current = eventSchemasByCeType();
  const review = reviewAgainstLock(lock, current);
  const refusals = lockRefusals(review);
  if (refusals.length) {
    console.error('events:lock refused; the lock is unchanged:');
    for (const line of refusals) console.error(`  ${line}`);
    return 1;
  }
  const touched = review.added.length + review.changed.length + review.reworded.length;
  if (touched === 0 && hadLock) {
    console.log(`events:lock: ${Object.keys(current).length} event types, lock already current.`);
    return 0;
  }
  writeFileSync(lockPath, schemaLockJson(updatedLock(lock, current)));
  execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', lockPath], {
    cwd: root,
    stdio: 'ignore',
  });
  for (const ceType of review.added) console.log(`  added    ${ceType}`);
  for (const ceType of review.changed) console.log(`  changed  ${ceType} (compatible)`);
  for (const ceType of review.reworded) console.log(`  reworded ${ceType} (descriptions or examples)`);
  console.log(`events:lock: wrote ${lockPath} (${Object.keys(current).length} event types).`);
  if (hadLock && (review.added.length || review.changed.length))
    console.log('Remember to bump EVENT_CONTRACTS_VERSION and run `npm run events:asyncapi`.');
  return 0;
}

process.exitCode = main();
