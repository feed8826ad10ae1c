import { createHash } from 'node:crypto';

/** Activities run outside the workflow sandbox, so they may use Node APIs. */
export const smokeActivities = {
  async sha256(text: string): Promise<string> {
    return createHash('sha256').update(text).digest('hex');
  },
};

export type SmokeActivities = typeof smokeActivities;
