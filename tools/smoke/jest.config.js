module.exports = {
  displayName: 'smoke',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Integration tests talk to real servers; first connections and worker bundling take seconds.
  testTimeout: 60_000,
};
