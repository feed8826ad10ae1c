module.exports = {
  displayName: 'evidence',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Integration tests start the app on a real database and content store; uploads stream megabytes.
  testTimeout: 120_000,
};
