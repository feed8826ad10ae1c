import { randomUUID } from 'node:crypto';

/**
 * Request bodies for the personal-data routes every service has, as the access tests send them: the erasure of a
 * person nobody references (it changes nothing visible) and the resolution of a well-formed token no key opens.
 */
export function personalDataBodies(): Record<string, object> {
  return {
    'POST /v1/personal-data/erasures': { subjectId: randomUUID() },
    'POST /v1/personal-data/resolutions': { tokens: [`pd1.${'A'.repeat(22)}.${'B'.repeat(60)}`] },
  };
}
