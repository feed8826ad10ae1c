module.exports = {
  displayName: 'monitoring',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Integration tests start the app on a real database and Kafka.
  testTimeout: 120_000,
};
