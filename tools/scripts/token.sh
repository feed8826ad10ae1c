#!/usr/bin/env bash
# Prints an access token from the local identity provider (Keycloak, realm attest, client attest-cli) for a demo
# user, e.g. curl -H "Authorization: Bearer $(tools/scripts/token.sh admin@acme.example)" http://127.0.0.1:3101/...
# Usage: token.sh <username> [password]; the password defaults to the user's in .local/keycloak/credentials.json.
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <username> [password]" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
# The token request is the one tests use (@attest/service-kit/testing).
SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register -e '
  const { passwordToken } = require("./libs/service-kit/src/testing/identity-provider.ts");
  const [username, password] = process.argv.slice(1);
  passwordToken(username, { password }).then(
    (token) => console.log(token),
    (err) => {
      console.error(`token.sh: ${err.message}`);
      process.exit(1);
    },
  );
' "$@"
