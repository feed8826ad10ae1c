"""Verifies an evidence bundle's DSSE envelope with securesystemslib, an implementation independent of Attest's.

    verify-dsse.py <manifest.dsse.json> <jwks.json>

Prints {"verified": bool, "keyids": [...], "payloadType": ..., "error": ...} as JSON; exit 0 when verified.
Only the public keys of the JWKS (RFC 8037 Ed25519 keys) are used, turned into securesystemslib keys.
"""

import base64
import json
import sys

from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import SSlibKey


def ed25519_key(jwk):
    public = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    return SSlibKey(jwk["kid"], "ed25519", "ed25519", {"public": public.hex()})


def main(envelope_path, jwks_path):
    with open(envelope_path, encoding="utf-8") as f:
        envelope = Envelope.from_dict(json.load(f))
    with open(jwks_path, encoding="utf-8") as f:
        keys = [ed25519_key(k) for k in json.load(f)["keys"] if k.get("crv") == "Ed25519"]
    result = {"payloadType": envelope.payload_type}
    try:
        result["keyids"] = sorted(envelope.verify(keys, 1))
        result["verified"] = True
    except VerificationError as err:
        result["verified"] = False
        result["error"] = str(err)
    print(json.dumps(result))
    return 0 if result["verified"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
