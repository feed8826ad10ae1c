module.exports = {
  displayName: 'lifecycle-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
