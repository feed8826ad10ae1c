module.exports = {
  displayName: 'event-contracts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
