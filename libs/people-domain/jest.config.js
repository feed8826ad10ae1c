module.exports = {
  displayName: 'people-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
