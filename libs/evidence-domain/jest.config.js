module.exports = {
  displayName: 'evidence-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
