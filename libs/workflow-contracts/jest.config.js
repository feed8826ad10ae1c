module.exports = {
  displayName: 'workflow-contracts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
