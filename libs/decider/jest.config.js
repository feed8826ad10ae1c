module.exports = {
  displayName: 'decider',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
