module.exports = {
  displayName: 'collectors',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
