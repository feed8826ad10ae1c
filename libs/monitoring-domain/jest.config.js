module.exports = {
  displayName: 'monitoring-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
