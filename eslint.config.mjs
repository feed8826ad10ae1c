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
              onlyDependOnLibsWithTags: ['type:transport', 'type:data-access', 'type:domain', 'type:contracts'],
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
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
