import { DomainError } from '@attest/decider';
import { checkFileName } from './evidence-file-name';

function refusal(fileName: string): DomainError {
  try {
    checkFileName(fileName);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error(`'${fileName}' was accepted`);
}

describe('checkFileName', () => {
  it.each([
    'access-review-2026-q1.pdf',
    'Zugriffsprüfung Q1.xlsx',
    'report..final.pdf',
    'a'.repeat(255),
    '日本語.txt',
  ])('keeps %s as given', (name) => {
    expect(checkFileName(name)).toBe(name);
  });

  it.each([
    ['a path-traversal name', '../../etc/passwd', /path separator/],
    ['a Windows path', '..\\boot.ini', /path separator/],
    ['an absolute path', '/etc/passwd', /path separator/],
    ['the parent directory', '..', /starts with a dot/],
    ['a hidden file', '.bashrc', /starts with a dot/],
    ['an empty name', '', /empty/],
    ['a blank name', '   ', /empty/],
    ['a NUL byte', 'report.pdf\u0000.exe', /control characters/],
    ['a newline', 'report\n.pdf', /control characters/],
    ['a right-to-left override', 'report\u202Efdp.exe', /control characters/],
    ['a name over 255 bytes of UTF-8', 'ü'.repeat(128), /longer than 255 bytes/],
  ])('refuses %s as unsafe-file-name', (_case, name, message) => {
    const err = refusal(name);
    expect(err.code).toBe('unsafe-file-name');
    expect(err.message).toMatch(message);
  });
});
