// Prepares Keycloak's realm import; run by keycloak.sh before every start.
//
// 1. Credentials: .local/keycloak/credentials.json (mode 600) gets, once, random passwords for the bootstrap admin
//    and every user of realm.json and a secret for every confidential client. Later runs keep them (so restarts and
//    re-imports keep working passwords) and only add what a changed realm.json needs.
// 2. Import files: realm.json as realm `attest` and again as `attest-untrusted` (a second issuer with the same
//    users and clients, for wrong-issuer tests), each with user-profile.json as its declarative user profile.
//    Secrets stay Keycloak `${ENV}` placeholders, which Keycloak fills from its environment while importing.
// 3. Prints that environment as NAME=value lines, with the bootstrap admin's.
//
// Usage: node prepare-realms.cjs <credentials.json> <issuer of realm attest> <import dir>
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const [credentialsFile, issuer, importDir] = process.argv.slice(2);
if (!importDir) {
  console.error('usage: prepare-realms.cjs <credentials.json> <issuer> <import dir>');
  process.exit(2);
}

const realm = JSON.parse(fs.readFileSync(path.join(__dirname, 'realm.json'), 'utf8'));
const userProfile = JSON.parse(fs.readFileSync(path.join(__dirname, 'user-profile.json'), 'utf8'));

const envName = (prefix, name) => `${prefix}_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
const passwordEnv = (username) => envName('ATTEST_KC_PASSWORD', username);
const secretEnv = (clientId) => envName('ATTEST_KC_SECRET', clientId);
const randomSecret = () => crypto.randomBytes(24).toString('base64url');

const people = realm.users.filter((u) => !u.serviceAccountClientId);
const confidentialClients = realm.clients.filter((c) => !c.publicClient && !c.bearerOnly);

// realm.json must use exactly the placeholders this script fills, or Keycloak would import them literally.
for (const u of people) {
  const value = u.credentials?.find((c) => c.type === 'password')?.value;
  if (value !== `\${${passwordEnv(u.username)}}`) {
    throw new Error(`realm.json: user ${u.username} needs password "\${${passwordEnv(u.username)}}"`);
  }
}
for (const c of confidentialClients) {
  if (c.secret !== `\${${secretEnv(c.clientId)}}`) {
    throw new Error(`realm.json: client ${c.clientId} needs secret "\${${secretEnv(c.clientId)}}"`);
  }
}

let existing = {};
if (fs.existsSync(credentialsFile)) existing = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
const credentials = {
  issuer,
  adminUser: existing.adminUser ?? 'admin',
  adminPassword: existing.adminPassword ?? randomSecret(),
  users: Object.fromEntries(people.map((u) => [u.username, existing.users?.[u.username] ?? randomSecret()])),
  clients: Object.fromEntries(
    confidentialClients.map((c) => [c.clientId, existing.clients?.[c.clientId] ?? randomSecret()]),
  ),
};
const text = JSON.stringify(credentials, null, 2) + '\n';
fs.mkdirSync(path.dirname(credentialsFile), { recursive: true, mode: 0o700 });
// Rewritten only when something changed: keycloak.sh re-imports the realms when this file's content changes.
if (!fs.existsSync(credentialsFile) || fs.readFileSync(credentialsFile, 'utf8') !== text) {
  fs.writeFileSync(credentialsFile, text, { mode: 0o600 });
}
fs.chmodSync(credentialsFile, 0o600);

const withUserProfile = (rep) => ({
  ...rep,
  components: {
    ...rep.components,
    'org.keycloak.userprofile.UserProfileProvider': [
      {
        providerId: 'declarative-user-profile',
        subComponents: {},
        config: { 'kc.user.profile.config': [JSON.stringify(userProfile)] },
      },
    ],
  },
});
fs.mkdirSync(importDir, { recursive: true });
for (const name of fs.readdirSync(importDir)) fs.rmSync(path.join(importDir, name));
for (const [name, displayName] of [
  [realm.realm, realm.displayName],
  [`${realm.realm}-untrusted`, `${realm.displayName} (untrusted issuer for tests)`],
]) {
  const rep = withUserProfile({ ...realm, realm: name, displayName });
  fs.writeFileSync(path.join(importDir, `${name}-realm.json`), JSON.stringify(rep, null, 2) + '\n');
}

const env = {
  KC_BOOTSTRAP_ADMIN_USERNAME: credentials.adminUser,
  KC_BOOTSTRAP_ADMIN_PASSWORD: credentials.adminPassword,
};
for (const [username, password] of Object.entries(credentials.users)) env[passwordEnv(username)] = password;
for (const [clientId, secret] of Object.entries(credentials.clients)) env[secretEnv(clientId)] = secret;
for (const [name, value] of Object.entries(env)) console.log(`${name}=${value}`);
