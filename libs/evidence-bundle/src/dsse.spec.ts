import { generateKeyPairSync, sign } from 'node:crypto';
import { preAuthEncoding, signEnvelope, verifyEnvelope, type DsseEnvelope } from './dsse';

const alice = generateKeyPairSync('ed25519');
const mallory = generateKeyPairSync('ed25519');
const signer =
  (kid: string, key = alice.privateKey) =>
  (pae: Buffer) => ({
    keyid: kid,
    sig: sign(null, pae, key).toString('base64'),
  });

describe('DSSE', () => {
  it('encodes the PAE as the DSSE protocol specifies it', () => {
    // The example of github.com/secure-systems-lab/dsse, protocol.md.
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    // Lengths count bytes, not characters.
    expect(preAuthEncoding('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it('verifies a signature by a published key and returns the signed payload', () => {
    const envelope = signEnvelope('application/vnd.in-toto+json', Buffer.from('{"a":1}'), signer('k1'));
    const verdict = verifyEnvelope(envelope, new Map([['k1', alice.publicKey]]));
    expect(verdict).toEqual({ ok: true, keyid: 'k1', payload: Buffer.from('{"a":1}') });
  });

  it.each<[string, (e: DsseEnvelope) => DsseEnvelope, RegExp]>([
    ['another payload type', (e) => ({ ...e, payloadType: 'text/plain' }), /by key k1 does not verify/],
    [
      'another payload',
      (e) => ({ ...e, payload: Buffer.from('{"a":2}').toString('base64') }),
      /does not verify/,
    ],
    ['padding changed', (e) => ({ ...e, payload: `${e.payload.slice(0, -1)}<` }), /not canonical base64/],
    [
      'an unknown key id',
      (e) => ({ ...e, signatures: [{ ...e.signatures[0], keyid: 'k9' }] }),
      /k9 is not among/,
    ],
    ['no signature', (e) => ({ ...e, signatures: [] }), /no signature/],
  ])('refuses %s', (_, change, problem) => {
    const envelope = signEnvelope('application/vnd.in-toto+json', Buffer.from('{"a":1}'), signer('k1'));
    const verdict = verifyEnvelope(change(envelope), new Map([['k1', alice.publicKey]]));
    expect(verdict).toEqual({ ok: false, problem: expect.stringMatching(problem) });
  });

  it('refuses a signature made with a key other than the published key of that id', () => {
    const envelope = signEnvelope('x', Buffer.from('y'), signer('k1', mallory.privateKey));
    expect(verifyEnvelope(envelope, new Map([['k1', alice.publicKey]])).ok).toBe(false);
  });
});
