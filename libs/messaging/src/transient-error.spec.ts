import { isTransientError, TransientError } from './transient-error';

describe('isTransientError', () => {
  it('retries what a retry can cure', () => {
    expect(isTransientError(new TransientError('search index busy'))).toBe(true);
    for (const code of ['40001', '40P01', '08006', '08001', '57P01', '53300', '55P03']) {
      expect(isTransientError(Object.assign(new Error('pg'), { code }))).toBe(true);
    }
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN']) {
      expect(isTransientError(Object.assign(new Error('net'), { code }))).toBe(true);
    }
    expect(isTransientError(Object.assign(new Error('kafka'), { retriable: true }))).toBe(true);
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new Error('wrapped', { cause: new TransientError('inner') }))).toBe(true);
  });

  it('does not retry bugs and refusals', () => {
    expect(isTransientError(new Error('boom'))).toBe(false);
    expect(isTransientError(new TypeError('x is undefined'))).toBe(false);
    for (const code of ['23505', '22P02', '42P01', '23503']) {
      expect(isTransientError(Object.assign(new Error('pg'), { code }))).toBe(false);
    }
    expect(isTransientError(Object.assign(new Error('kafka'), { retriable: false }))).toBe(false);
    expect(isTransientError('a string')).toBe(false);
    expect(isTransientError(null)).toBe(false);
  });
});
