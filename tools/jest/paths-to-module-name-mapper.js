// Maps the workspace's `@attest/*` import paths (tsconfig.base.json) to their sources for jest.
const fs = require('node:fs');
const path = require('node:path');

function pathsToModuleNameMapper(tsconfigPath) {
  const { compilerOptions } = JSON.parse(fs.readFileSync(tsconfigPath, 'utf8'));
  const root = path.dirname(tsconfigPath);
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths ?? {})) {
    const escaped = alias.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '(.*)' : `\\${c}`));
    mapper[`^${escaped}$`] = path.join(root, target.replace('*', '$1'));
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
