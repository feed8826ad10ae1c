import { createHash } from 'node:crypto';
import { fileDownload, reprDigest } from './file-download';

describe('file downloads', () => {
  it('states the SHA-256 of the bytes as RFC 9530 Repr-Digest (base64 of the digest, not of its hex)', () => {
    const empty = createHash('sha256').update('').digest('hex');
    expect(reprDigest(empty)).toBe('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:');
  });

  it('sends the recorded file as an attachment with its type, size and digest', () => {
    const body = Buffer.from('a,b\n1,2\n', 'utf8');
    const sha256 = createHash('sha256').update(body).digest('hex');
    const headers: Record<string, string> = {};
    let attachment: string | undefined;
    const response = {
      attachment: (name: string) => (attachment = name),
      setHeader: (name: string, value: string) => (headers[name] = value),
    };
    const file = fileDownload(
      response,
      { fileName: 'matrix.csv', mediaType: 'text/csv; charset=utf-8', sizeBytes: body.length, sha256 },
      body,
    );
    expect(attachment).toBe('matrix.csv');
    expect(headers).toEqual({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Length': String(body.length),
      'Repr-Digest': `sha-256=:${createHash('sha256').update(body).digest('base64')}:`,
    });
    expect(file.getStream().read()).toEqual(body);
  });
});
