import { DomainError } from './decider';
import { optionalText, requiredText } from './decider-text';

function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return undefined;
}

describe('free texts', () => {
  it('keeps a required text as given and refuses a blank or too long one', () => {
    expect(requiredText('reason', ' Fix ships Friday ', 20)).toBe(' Fix ships Friday ');
    expect(refusal(() => requiredText('reason', '  ', 20))).toBe('text-required');
    expect(refusal(() => requiredText('reason', 'x'.repeat(21), 20))).toBe('text-too-long');
  });

  it('drops a blank optional text and refuses a too long one', () => {
    expect(optionalText('note', undefined, 5)).toBeUndefined();
    expect(optionalText('note', ' ', 5)).toBeUndefined();
    expect(optionalText('note', 'ok', 5)).toBe('ok');
    expect(refusal(() => optionalText('note', '123456', 5))).toBe('text-too-long');
  });
});
