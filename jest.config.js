// Root jest config: every project's tests in one run (used by `npm test` and .ci/run).
const { getJestProjectsAsync } = require('@nx/jest');

module.exports = async () => ({
  projects: await getJestProjectsAsync(),
  // Global options are not read from the projects' configs in a multi-project run. Integration tests make first
  // connections, create topics and bundle workflows, which can take seconds on a cold server.
  testTimeout: 60_000,
});
