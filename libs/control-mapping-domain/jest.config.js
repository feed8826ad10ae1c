module.exports = {
  displayName: 'control-mapping-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
