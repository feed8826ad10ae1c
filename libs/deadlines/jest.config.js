module.exports = {
  displayName: 'deadlines',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
