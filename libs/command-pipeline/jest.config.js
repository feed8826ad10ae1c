module.exports = {
  displayName: 'command-pipeline',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
