import { generateKeyPairSync } from 'node:crypto';
import { detectSecrets, SECRET_DETECTOR } from './secret-detector';

// Assembled at run time so this file is not itself a finding for a secret scanner.
const FAKE_SECRET_ACCESS_KEY = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYZQHTN2Q7RE'].join('/');

describe('detectSecrets', () => {
  it('finds an AWS secret access key with the rule and line, never the value', async () => {
    const content = `[default]\nregion = eu-west-1\naws_secret_access_key = ${FAKE_SECRET_ACCESS_KEY}\n`;

    const findings = await detectSecrets(content, 'config/credentials.ini');

    expect(findings).toEqual([
      { ruleId: '@secretlint/secretlint-rule-aws', messageId: 'AWSSecretAccessKey', line: 3 },
    ]);
    expect(JSON.stringify(findings)).not.toContain(FAKE_SECRET_ACCESS_KEY);
  });

  it('finds a private key block', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    });

    const findings = await detectSecrets(`key: |\n${pem}`, 'deploy/key.yaml');

    expect(findings).toEqual([
      { ruleId: '@secretlint/secretlint-rule-privatekey', messageId: 'PrivateKey', line: 2 },
    ]);
  });

  it('reports nothing for ordinary configuration', async () => {
    await expect(
      detectSecrets('replicas: 3\nimage: nginx:1.27\npassword_min_length: 12\n', 'app.yaml'),
    ).resolves.toEqual([]);
  });

  it('names the rule set that decided', () => {
    expect(SECRET_DETECTOR).toBe('@secretlint/secretlint-rule-preset-recommend@11.7.1');
  });
});
