import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';

/** The committed histories: one JSON file per recorded scenario, named after it. */
export const historiesDir = path.resolve(__dirname, '../histories');

export interface RecordedHistory {
  /** The scenario, i.e. the file name without `.json`. */
  name: string;
  workflowId: string;
  history: History;
}

export function recordedHistories(): RecordedHistory[] {
  return readdirSync(historiesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.json$/, '');
      return {
        name,
        workflowId: name,
        history: historyFromJSON(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))),
      };
    });
}
