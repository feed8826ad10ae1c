module.exports = {
  displayName: 'attest-verify',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
