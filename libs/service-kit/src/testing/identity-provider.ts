import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The local identity provider (Keycloak, started by `npm run infra:up`) for tests and demos: tokens for the demo
 * users and the orchestrator, and the admin calls that rotate a realm's signing key. The realms are defined in
 * infra/local/keycloak/realm.json; the passwords and secrets are generated on the first start and read here from
 * .local/keycloak/credentials.json, never committed.
 */

/** The content of .local/keycloak/credentials.json. */
export interface IdentityProviderCredentials {
  /** Issuer of realm `attest`. */
  issuer: string;
  /** Keycloak's bootstrap admin (realm `master`). */
  adminUser: string;
  adminPassword: string;
  /** Password of each demo user, by username. */
  users: Record<string, string>;
  /** Secret of each confidential client, by client id. */
  clients: Record<string, string>;
}

export interface IdentityProviderSettings {
  issuer: string;
  jwksUri: string;
  audience: 'attest-api';
}

export interface TokenOptions {
  /** Default `attest`; `attest-untrusted` issues tokens of an issuer services do not trust. */
  realm?: string;
}

export interface PasswordTokenOptions extends TokenOptions {
  /** Default `attest-cli`; `attest-other` issues tokens without the attest-api audience. */
  clientId?: string;
  /** Default: the user's password from the credentials file. */
  password?: string;
}

/** One of a realm's RS256 signing keys and the key provider (component) that holds it. */
export interface SigningKey {
  componentId: string;
  kid: string;
  priority: number;
}

export interface KeycloakAdmin {
  /** The key new access tokens are signed with: the active RS256 key of the highest priority. */
  activeSigningKey(): Promise<SigningKey>;
  /** Adds a generated RSA key with a higher priority than every other: new tokens are signed with it. */
  addSigningKey(): Promise<SigningKey>;
  /** Deletes a key's provider: the key leaves the JWKS, so tokens it signed no longer verify. */
  removeSigningKey(key: SigningKey): Promise<void>;
  /** Registers a person (as an organization's onboarding does) with one realm role; answers their `sub`. */
  createUser(user: NewUser): Promise<string>;
}

/** A person to register at the identity provider. */
export interface NewUser {
  /** Also the email address. */
  username: string;
  firstName: string;
  lastName: string;
  password: string;
  /** The organization claim (`attest_tenant`); absent for a CPA firm's auditor. */
  tenant?: string;
  /** A realm role: admin, compliance-manager, control-owner, employee, auditor or integrator. */
  role: string;
}

export const ATTEST_API_AUDIENCE = 'attest-api';
const DEFAULT_REALM = 'attest';
const REPO_ROOT = resolve(__dirname, '../../../..');

export function identityProviderCredentials(): IdentityProviderCredentials {
  const localDir = process.env['ATTEST_LOCAL_DIR'] ?? join(REPO_ROOT, '.local');
  const file = join(localDir, 'keycloak', 'credentials.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${file} does not exist: start Keycloak first (npm run infra:up -- keycloak)`);
    }
    throw err;
  }
  return JSON.parse(text) as IdentityProviderCredentials;
}

/** What a service is configured with to accept tokens of `realm` (ATTEST_OIDC_ISSUER and friends). */
export function identityProviderSettings(realm = DEFAULT_REALM): IdentityProviderSettings {
  const issuer = realmUrl(identityProviderCredentials(), realm);
  return { issuer, jwksUri: `${issuer}/protocol/openid-connect/certs`, audience: ATTEST_API_AUDIENCE };
}

/** An access token for a demo user, from the password grant (direct access grant). */
export async function passwordToken(username: string, options: PasswordTokenOptions = {}): Promise<string> {
  const credentials = identityProviderCredentials();
  const password = options.password ?? credentials.users[username];
  if (password === undefined) throw new Error(`no demo user ${username} in the credentials file`);
  return requestToken(credentials, options.realm ?? DEFAULT_REALM, {
    grant_type: 'password',
    client_id: options.clientId ?? 'attest-cli',
    username,
    password,
  });
}

/** An access token for a confidential client (e.g. `attest-orchestrator`), from the client credentials grant. */
export async function clientCredentialsToken(clientId: string, options: TokenOptions = {}): Promise<string> {
  const credentials = identityProviderCredentials();
  const secret = credentials.clients[clientId];
  if (secret === undefined) throw new Error(`no confidential client ${clientId} in the credentials file`);
  return requestToken(credentials, options.realm ?? DEFAULT_REALM, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });
}

/** Admin calls on one realm, as Keycloak's bootstrap admin. */
export function keycloakAdmin(realm = DEFAULT_REALM): KeycloakAdmin {
  const credentials = identityProviderCredentials();
  const adminUrl = `${serverUrl(credentials)}/admin/realms/${encodeURIComponent(realm)}`;

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const token = await requestToken(credentials, 'master', {
      grant_type: 'password',
      client_id: 'admin-cli',
      username: credentials.adminUser,
      password: credentials.adminPassword,
    });
    const res = await fetch(`${adminUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`Keycloak admin ${method} ${adminUrl}${path}: HTTP ${res.status}`);
    return res;
  }

  async function signingKeys(): Promise<SigningKey[]> {
    const { keys } = (await (await call('GET', '/keys')).json()) as { keys: KeyMetadata[] };
    return keys
      .filter((k) => k.use === 'SIG' && k.algorithm === 'RS256' && k.status === 'ACTIVE')
      .map((k) => ({ componentId: k.providerId, kid: k.kid, priority: k.providerPriority }))
      .sort((a, b) => b.priority - a.priority);
  }

  return {
    async activeSigningKey() {
      const [active] = await signingKeys();
      if (!active) throw new Error(`realm ${realm} has no active RS256 signing key`);
      return active;
    },
    async addSigningKey() {
      const priority = Math.max(0, ...(await signingKeys()).map((k) => k.priority)) + 1;
      const { id: realmId } = (await (await call('GET', '')).json()) as { id: string };
      const res = await call('POST', '/components', {
        name: `rsa-rotated-${priority}`,
        providerId: 'rsa-generated',
        providerType: 'org.keycloak.keys.KeyProvider',
        parentId: realmId,
        config: {
          priority: [String(priority)],
          enabled: ['true'],
          active: ['true'],
          algorithm: ['RS256'],
          keySize: ['2048'],
        },
      });
      const componentId = res.headers.get('location')?.split('/').pop();
      const added = (await signingKeys()).find((k) => k.componentId === componentId);
      if (!added) throw new Error(`realm ${realm}: the new key provider ${componentId} has no active key`);
      return added;
    },
    async removeSigningKey(key) {
      await call('DELETE', `/components/${encodeURIComponent(key.componentId)}`);
    },
    async createUser(user) {
      const res = await call('POST', '/users', {
        username: user.username,
        email: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        enabled: true,
        emailVerified: true,
        attributes: user.tenant ? { attest_tenant: [user.tenant] } : {},
        credentials: [{ type: 'password', value: user.password, temporary: false }],
      });
      const userId = res.headers.get('location')?.split('/').pop();
      if (!userId) throw new Error(`Keycloak admin: no id for the new user ${user.username}`);
      const role = await (await call('GET', `/roles/${encodeURIComponent(user.role)}`)).json();
      await call('POST', `/users/${encodeURIComponent(userId)}/role-mappings/realm`, [role]);
      return userId;
    },
  };
}

/**
 * A CPA firm's auditor registered at the identity provider for one test or fuzz run: realm role `auditor`, no tenant
 * claim, e-mail verified (the username, unique per call). Get their token with
 * `passwordToken(username, { password })`.
 */
export async function registerAuditor(name: string): Promise<{ username: string; password: string }> {
  const user = { username: `${name}-${randomUUID().slice(0, 8)}@cpa.example`, password: randomUUID() };
  await keycloakAdmin().createUser({ ...user, firstName: name, lastName: 'Auditor', role: 'auditor' });
  return user;
}

/** An entry of GET /admin/realms/{realm}/keys. */
interface KeyMetadata {
  providerId: string;
  providerPriority: number;
  kid: string;
  status: string;
  algorithm: string;
  use: string;
}

function serverUrl(credentials: IdentityProviderCredentials): string {
  return credentials.issuer.replace(/\/realms\/[^/]+$/, '');
}

function realmUrl(credentials: IdentityProviderCredentials, realm: string): string {
  return `${serverUrl(credentials)}/realms/${encodeURIComponent(realm)}`;
}

async function requestToken(
  credentials: IdentityProviderCredentials,
  realm: string,
  params: Record<string, string>,
): Promise<string> {
  const res = await fetch(`${realmUrl(credentials, realm)}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams(params),
  });
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: unknown;
    error?: string;
    error_description?: string;
  };
  if (!res.ok || typeof body.access_token !== 'string') {
    const reason = [body.error, body.error_description].filter(Boolean).join(': ');
    throw new Error(
      `token request to realm ${realm} failed: HTTP ${res.status}${reason ? ` (${reason})` : ''}`,
    );
  }
  return body.access_token;
}
