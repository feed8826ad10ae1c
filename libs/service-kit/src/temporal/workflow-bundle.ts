import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { WORKSPACE_ROOT } from '../service-process';

/** The workflow code the orchestrator runs (libs/workflows): auditLifecycle, typeIIObservation, the scheduled jobs. */
export const LIFECYCLE_WORKFLOWS_PATH = join(WORKSPACE_ROOT, 'libs/workflows/src/index.ts');

/**
 * Workflow code imports the workspace's libraries by their `@attest/*` aliases (tsconfig.base.json), which the
 * SDK's webpack does not know: each alias is pointed at the library's source, as the TypeScript paths say.
 */
export function workflowBundlerOptions(): Pick<BundleOptions, 'webpackConfigHook'> {
  const { compilerOptions } = JSON.parse(
    readFileSync(join(WORKSPACE_ROOT, 'tsconfig.base.json'), 'utf8'),
  ) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const alias = Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([name, [target]]) => [
      `${name}$`,
      join(WORKSPACE_ROOT, target!),
    ]),
  );
  return {
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), ...alias } },
    }),
  };
}
