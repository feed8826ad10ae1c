import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/**
 * Module boundaries: apps are thin shells; domain libs hold the rules and import no infrastructure,
 * so they stay pure and testable without servers.
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/dist', '**/node_modules', '**/.local', '**/coverage', '**/.nx'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:data-access',
                'type:transport',
                'type:workflow',
                'type:contracts',
              ],
            },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
              bannedExternalImports: ['@nestjs/*', 'kafkajs', '@temporalio/*', 'pg', 'pg-*', 'express'],
            },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts'],
              bannedExternalImports: ['@nestjs/*', 'kafkajs', '@temporalio/*', 'pg', 'pg-*', 'express'],
            },
            {
              sourceTag: 'type:workflow',
              onlyDependOnLibsWithTags: ['type:workflow', 'type:domain', 'type:contracts'],
              bannedExternalImports: ['@nestjs/*', 'kafkajs', 'pg', 'pg-*', 'express'],
            },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts'],
              bannedExternalImports: ['@nestjs/*', '@temporalio/*', 'express'],
            },
            {
              sourceTag: 'type:transport',
              onlyDependOnLibsWithTags: [
                'type:transport',
                'type:data-access',
                'type:domain',
                'type:contracts',
              ],
            },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: [
                'type:infra',
                'type:domain',
                'type:data-access',
                'type:transport',
                'type:workflow',
                'type:contracts',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox and is replayed from history: no Node built-ins, no
    // I/O clients, no Nest, no Temporal client/worker APIs (activities do the I/O). Specs and test helpers drive a
    // test server and may use them. Nx's bannedExternalImports does not see Node built-ins, hence this rule.
    files: ['libs/workflows/src/**/*.ts', 'libs/workflow-contracts/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**', 'libs/workflows/src/bundling/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'path',
                'crypto',
                'child_process',
                'http',
                'https',
                'net',
                'os',
                'worker_threads',
              ],
              message: 'Workflow code is deterministic and does no I/O: move this into an activity.',
            },
            {
              group: ['pg', 'pg-*', 'kafkajs', '@nestjs/*', 'express'],
              message: 'Workflow code does no I/O: call an activity instead.',
            },
            {
              group: [
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                '@temporalio/testing',
              ],
              message: 'Workflow code uses @temporalio/workflow (and types from @temporalio/common) only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
