module.exports = {
  displayName: 'audit-report',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
