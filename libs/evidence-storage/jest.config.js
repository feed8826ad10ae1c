module.exports = {
  displayName: 'evidence-storage',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
