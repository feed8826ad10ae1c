module.exports = {
  displayName: 'orchestrator',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Integration tests start workers against the real Temporal dev server and bundle workflow code.
  testTimeout: 180_000,
};
