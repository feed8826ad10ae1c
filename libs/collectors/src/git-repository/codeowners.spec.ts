import { summarizeCodeowners } from './codeowners';

describe('summarizeCodeowners', () => {
  it('counts rules, ownerless rules, distinct owners and a catch-all, ignoring comments', () => {
    const text = [
      '# Default owners',
      '*       @acme/platform',
      '',
      '/docs/  @acme/docs @Alice   # inline comment, not an owner',
      '*.go    @alice dev@example.test',
      '/vendor/',
      '\\#notes.md @acme/docs',
    ].join('\n');

    expect(summarizeCodeowners(text)).toEqual({
      rules: 5,
      rulesWithoutOwners: 1,
      ownerCount: 4,
      catchAll: true,
    });
  });

  it('skips GitLab section headers and sees no catch-all without a `*` owner', () => {
    const text = ['[Backend] @acme/backend', '/api/ @acme/backend', '^[Optional docs]', '*'].join('\r\n');

    expect(summarizeCodeowners(text)).toEqual({
      rules: 2,
      rulesWithoutOwners: 1,
      ownerCount: 1,
      catchAll: false,
    });
  });
});
