import { verify, type KeyObject } from 'node:crypto';

/**
 * A DSSE envelope (github.com/secure-systems-lab/dsse, protocol v1): the payload and its signatures, which cover the
 * pre-authentication encoding of payload type and payload, never the payload alone.
 */
export interface DsseEnvelope {
  payloadType: string;
  /** Standard base64 of the payload bytes. */
  payload: string;
  signatures: DsseSignature[];
}

export interface DsseSignature {
  /** The signing key's id: a `kid` of the service's JWKS. */
  keyid: string;
  /** Standard base64 of the Ed25519 signature over the PAE. */
  sig: string;
}

/** The in-toto attestation framework's payload type for a Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** DSSE's PAE: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII decimals of byte counts. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/** Signs a PAE; the service's keyring (`ChainSigningKeys.signDssePae`) is one. */
export type DsseSigner = (pae: Buffer) => DsseSignature;

export function signEnvelope(payloadType: string, payload: Buffer, signer: DsseSigner): DsseEnvelope {
  return {
    payloadType,
    payload: payload.toString('base64'),
    signatures: [signer(preAuthEncoding(payloadType, payload))],
  };
}

export type EnvelopeVerdict = { ok: true; keyid: string; payload: Buffer } | { ok: false; problem: string };

/**
 * Whether a signature of the envelope verifies with one of the public keys (by key id; an unknown key id verifies
 * nothing). The payload is returned only from a verified envelope, so nothing unverified is ever parsed as trusted.
 */
export function verifyEnvelope(
  envelope: DsseEnvelope,
  publicKeys: ReadonlyMap<string, KeyObject>,
): EnvelopeVerdict {
  if (
    typeof envelope?.payloadType !== 'string' ||
    typeof envelope.payload !== 'string' ||
    !Array.isArray(envelope.signatures)
  )
    return { ok: false, problem: 'not a DSSE envelope (payloadType, payload, signatures)' };
  if (envelope.signatures.length === 0) return { ok: false, problem: 'the envelope has no signature' };
  const payload = strictBase64(envelope.payload);
  if (!payload) return { ok: false, problem: 'the payload is not canonical base64' };
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const problems: string[] = [];
  for (const s of envelope.signatures) {
    const key = publicKeys.get(s.keyid);
    const sig = strictBase64(s.sig);
    if (!key) problems.push(`key ${s.keyid} is not among the published keys`);
    else if (!sig) problems.push(`the signature by key ${s.keyid} is not canonical base64`);
    else if (verify(null, pae, key, sig)) return { ok: true, keyid: s.keyid, payload };
    else problems.push(`the signature by key ${s.keyid} does not verify`);
  }
  return { ok: false, problem: problems.join('; ') };
}

/**
 * Base64 that decodes to exactly one byte string: Node's decoder skips characters outside the alphabet and
 * padding, so without this an envelope could change (one byte of its text) and still verify.
 */
function strictBase64(text: unknown): Buffer | null {
  if (typeof text !== 'string') return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
