import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { workflowBundlerOptions } from '../../bundling';

/**
 * Bundler options for the library's workflows with every `patched` guard removed: the workflow code imports
 * patches-always-applied.ts for `@temporalio/workflow`. Replaying a history recorded before a patch on this bundle
 * shows that the history takes the old path, i.e. that the guard is what keeps it replaying.
 */
export function withoutPatchGuards(): Pick<BundleOptions, 'webpackConfigHook'> {
  const { webpackConfigHook = (config) => config } = workflowBundlerOptions();
  return {
    webpackConfigHook: (config) => {
      const bundled = webpackConfigHook(config);
      return {
        ...bundled,
        resolve: {
          ...bundled.resolve,
          alias: {
            ...(bundled.resolve?.alias as object),
            '@temporalio/workflow$': path.join(__dirname, 'patches-always-applied.ts'),
          },
        },
      };
    },
  };
}
