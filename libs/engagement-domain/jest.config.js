module.exports = {
  displayName: 'engagement-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
