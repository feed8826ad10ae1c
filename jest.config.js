// Root jest config: every project's tests in one run (used by `npm test` and .ci/run).
const { getJestProjectsAsync } = require('@nx/jest');

module.exports = async () => ({
  projects: await getJestProjectsAsync(),
});
