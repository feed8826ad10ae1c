import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { CollectorConfigError, type CollectorContext } from './collector';

/**
 * The real path of a directory a config names, refused (CollectorConfigError) unless it lies inside one of the
 * operator's allowed paths. Symlinks are resolved on both sides first, so a link inside an allowed directory cannot
 * lead a collector out of it.
 */
export async function resolveAllowedPath(
  configured: string,
  ctx: CollectorContext,
  field = 'path',
): Promise<string> {
  if (!path.isAbsolute(configured)) throw new CollectorConfigError(`/${field} must be an absolute path`);
  const real = await realpath(configured).catch(() => {
    throw new CollectorConfigError(`/${field} does not exist or cannot be read: ${configured}`);
  });
  for (const allowed of ctx.allowedPaths) {
    const root = await realpath(allowed).catch(() => null);
    if (root && (real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)))
      return real;
  }
  throw new CollectorConfigError(
    `/${field} is not under an allowed path (ATTEST_COLLECTOR_ALLOWED_PATHS): ${configured}`,
  );
}
