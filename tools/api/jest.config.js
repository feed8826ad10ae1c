module.exports = {
  displayName: 'api-tools',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
