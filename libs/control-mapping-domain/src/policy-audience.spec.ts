import { audienceIncludes, normalizeAudience, type PolicyAudience } from './policy-audience';

describe('policy audience', () => {
  const engineer = { role: 'engineer', department: 'Engineering', employmentType: 'employee' } as const;
  const contractor = { role: 'engineer', department: 'Engineering', employmentType: 'contractor' } as const;
  const seller = { role: 'account-executive', department: 'Sales', employmentType: 'employee' } as const;

  it('everyone includes every person, even one the directory knows little about', () => {
    for (const person of [engineer, contractor, seller, {}])
      expect(audienceIncludes({ scope: 'everyone' }, person)).toBe(true);
  });

  it('a selection matches every list given and any value of each list', () => {
    const engineeringContractors: PolicyAudience = {
      scope: 'selected',
      departments: ['Engineering', 'Security'],
      employmentTypes: ['contractor'],
    };
    expect([engineer, contractor, seller].map((p) => audienceIncludes(engineeringContractors, p))).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('compares roles and departments trimmed and case-insensitively', () => {
    const audience: PolicyAudience = { scope: 'selected', departments: [' engineering '] };
    expect(audienceIncludes(audience, engineer)).toBe(true);
  });

  it('a person without the attribute a list selects on is not selected', () => {
    expect(audienceIncludes({ scope: 'selected', roles: ['engineer'] }, { department: 'Engineering' })).toBe(
      false,
    );
  });

  it('normalizes to one form and refuses a selection of nobody', () => {
    expect(normalizeAudience({ scope: 'selected', roles: ['b', 'a ', 'a'], departments: [] })).toEqual({
      scope: 'selected',
      roles: ['a', 'b'],
    });
    expect(() => normalizeAudience({ scope: 'selected', roles: ['  '] })).toThrow(
      expect.objectContaining({ code: 'audience-empty' }),
    );
  });
});
