module.exports = {
  displayName: 'readiness-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
