module.exports = {
  displayName: 'auditor-engagement',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Integration tests start the app on a real database, Kafka and the identity provider.
  testTimeout: 120_000,
};
