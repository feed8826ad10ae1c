// Shared jest settings: SWC compiles TypeScript (with decorator metadata for NestJS) without type-checking,
// which `tsc` does separately in lint/typecheck targets.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('./tools/jest/paths-to-module-name-mapper');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // jose 6 and secretlint ship only ES modules; SWC turns them into CommonJS like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@secretlint)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(path.join(__dirname, 'tsconfig.base.json')),
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Integration tests connect to real servers; the root config repeats this for multi-project runs.
  testTimeout: 60_000,
};
