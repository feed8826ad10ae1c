import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/**
 * How a worker (or a test) bundles this library's workflows. Kept apart from the bundle's entry (../index.ts),
 * which must stay free of Node imports, and shared so the orchestrator, the replay test and the time-skipping specs
 * bundle the same way.
 */

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** The bundle's entry: every workflow the `attest-audit-lifecycle` task queue runs. */
export const WORKFLOWS_PATH = join(__dirname, '../index.ts');

/**
 * Workflow code imports workspace libraries by their `@attest/*` aliases (tsconfig.base.json), which the SDK's
 * webpack does not know: each alias is pointed at the library's source, as the TypeScript paths say.
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
      join(WORKSPACE_ROOT, target),
    ]),
  );
  return {
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), ...alias } },
    }),
  };
}
