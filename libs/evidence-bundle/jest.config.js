module.exports = {
  displayName: 'evidence-bundle',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
