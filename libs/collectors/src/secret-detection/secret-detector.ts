import { lintSource } from '@secretlint/core';
import { creator as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import presetPackage from '@secretlint/secretlint-rule-preset-recommend/package.json';

/**
 * Where a secret was found: which rule matched and on which line. Deliberately without the matched text, so a
 * finding can go into a fact, an event and an evidence file without copying the secret a second time.
 */
export interface SecretFinding {
  /** The secretlint rule that matched, e.g. "@secretlint/secretlint-rule-aws". */
  ruleId: string;
  /** The rule's message id, e.g. "AWSSecretAccessKey". */
  messageId: string;
  /** 1-based line of the match in the scanned text. */
  line: number;
}

/**
 * The maintained detector whose rules decide what counts as a secret (secretlint's recommended preset: AWS, GCP,
 * GitHub, Slack, npm, private keys, basic auth in URLs, …), named in facts so a finding can be traced to the rule
 * set that produced it. 11.x is the last line that supports Node 20.
 */
export const SECRET_DETECTOR = `${presetPackage.name}@${presetPackage.version}`;

const config = { rules: [{ id: recommendedRules.meta.id, rule: recommendedRules }] };

/** Secrets the recommended rules find in a text (a file's content, an environment value). */
export async function detectSecrets(content: string, fileName: string): Promise<SecretFinding[]> {
  const result = await lintSource({
    source: { filePath: fileName, content, ext: extensionOf(fileName), contentType: 'text' },
    // maskSecrets keeps the value out of the messages too, in case one is ever logged.
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((message) => ({
    ruleId: message.ruleId,
    messageId: message.messageId,
    line: message.loc.start.line,
  }));
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > fileName.lastIndexOf('/') ? fileName.slice(dot) : '';
}
