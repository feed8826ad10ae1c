module.exports = {
  displayName: 'control-mapping',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Integration tests start the app with Kafka consumers and, for the cross-service test, the readiness service.
  testTimeout: 120_000,
};
