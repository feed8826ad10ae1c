// Writes a development keyring for signing event chain checkpoints (Ed25519, PKCS#8 PEM), once: the services read
// it when ATTEST_CHAIN_SIGNING_KEYS is not set (libs/event-store/src/chain-checkpoints.ts). Never commit it.
// Usage: node generate-keyring.cjs <path of keyring.json>
'use strict';
const { generateKeyPairSync } = require('node:crypto');
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');

const file = process.argv[2];
if (!file) throw new Error('usage: generate-keyring.cjs <keyring.json>');
if (!existsSync(file)) {
  const kid = `dev-${new Date().toISOString().slice(0, 10)}`;
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' });
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ active: kid, keys: { [kid]: pem } }, null, 2) + '\n', { mode: 0o600 });
  console.log(`chain signing: wrote a development keyring (${kid}) to ${file}`);
}
