module.exports = {
  displayName: 'smoke',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
