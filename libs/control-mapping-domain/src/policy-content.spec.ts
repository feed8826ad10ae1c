import {
  comparePolicyVersions,
  contentSha256,
  fillKnownPlaceholders,
  isPolicyVersion,
  nextPolicyVersion,
  unfilledPlaceholders,
} from './policy-content';

describe('policy content', () => {
  it('hashes the UTF-8 text with SHA-256', () => {
    expect(contentSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('numbers drafts: 1.0.0 first, then the next minor after the highest', () => {
    expect(nextPolicyVersion([])).toBe('1.0.0');
    expect(nextPolicyVersion(['1.0.0', '1.10.0', '1.2.0'])).toBe('1.11.0');
    expect(isPolicyVersion('1.2.3')).toBe(true);
    expect(isPolicyVersion('v1')).toBe(false);
  });

  it('compares and numbers versions exactly, however many digits they have', () => {
    expect(comparePolicyVersions('9007199254740993.0.0', '9007199254740992.0.0')).toBe(1);
    expect(comparePolicyVersions('1.2.3', '1.2.3')).toBe(0);
    expect(nextPolicyVersion(['1.9007199254740993.0'])).toBe('1.9007199254740994.0');
    expect(nextPolicyVersion(['99999999999999999999999.0.0'])).toBe('99999999999999999999999.1.0');
  });

  it('fills the placeholders it has values for and leaves the others', () => {
    const text = fillKnownPlaceholders('{{company_name}} by {{ approver }}', { company_name: 'Lumen' });
    expect(text).toBe('Lumen by {{ approver }}');
    expect(unfilledPlaceholders(text)).toEqual(['approver']);
  });

  it('takes only the values given, never properties every object inherits', () => {
    expect(fillKnownPlaceholders('{{constructor}} {{toString}}', {})).toBe('{{constructor}} {{toString}}');
  });
});
