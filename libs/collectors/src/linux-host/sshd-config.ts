import path from 'node:path';
import { configLines, listHostDir, readHostFile } from './host-files';

/**
 * OpenSSH's built-in defaults (sshd_config(5), OpenSSH 9) for the settings reported: an unset keyword is reported
 * with the value sshd actually uses, and `explicitlySet` says which ones a file set.
 */
export const SSHD_DEFAULTS = {
  permitRootLogin: 'prohibit-password',
  passwordAuthentication: 'yes',
  kbdInteractiveAuthentication: 'yes',
  pubkeyAuthentication: 'yes',
  permitEmptyPasswords: 'no',
  x11Forwarding: 'no',
  maxAuthTries: '6',
  loginGraceTime: '120',
  allowTcpForwarding: 'yes',
  clientAliveInterval: '0',
  usePam: 'no',
} as const;
type SshdSetting = keyof typeof SSHD_DEFAULTS;

/** sshd keywords (lower-case, as sshd compares them) to reported settings; the deprecated alias maps too. */
const KEYWORDS: Record<string, SshdSetting> = {
  permitrootlogin: 'permitRootLogin',
  passwordauthentication: 'passwordAuthentication',
  kbdinteractiveauthentication: 'kbdInteractiveAuthentication',
  challengeresponseauthentication: 'kbdInteractiveAuthentication',
  pubkeyauthentication: 'pubkeyAuthentication',
  permitemptypasswords: 'permitEmptyPasswords',
  x11forwarding: 'x11Forwarding',
  maxauthtries: 'maxAuthTries',
  logingracetime: 'loginGraceTime',
  allowtcpforwarding: 'allowTcpForwarding',
  clientaliveinterval: 'clientAliveInterval',
  usepam: 'usePam',
};

export interface SshdConfig {
  configPresent: boolean;
  configFiles: string[];
  settings: Record<SshdSetting, string>;
  explicitlySet: SshdSetting[];
  matchBlocks: number;
}

const SSH_DIR = '/etc/ssh';
const MAX_INCLUDE_DEPTH = 16;

/** Expands an Include argument: relative to /etc/ssh; a glob only in the last path segment (what distributions use). */
async function includedFiles(root: string, pattern: string): Promise<string[]> {
  const full = path.posix.isAbsolute(pattern) ? pattern : path.posix.join(SSH_DIR, pattern);
  const dir = path.posix.dirname(full);
  const base = path.posix.basename(full);
  if (!/[*?]/.test(base)) return [full];
  const matcher = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return (await listHostDir(root, dir))
    .filter((name) => matcher.test(name))
    .map((name) => path.posix.join(dir, name));
}

/**
 * The effective global sshd settings under `root`, read as sshd reads them: the first value of a keyword wins,
 * Include is expanded in place, and everything after the first Match applies only conditionally, so it is counted
 * but not taken as global.
 */
export async function readSshdConfig(root: string): Promise<SshdConfig> {
  const set = new Map<SshdSetting, string>();
  const configFiles: string[] = [];
  let matchBlocks = 0;
  const read = async (file: string, depth: number): Promise<void> => {
    const text = await readHostFile(root, file);
    if (text === null || depth > MAX_INCLUDE_DEPTH) return;
    configFiles.push(file);
    for (const line of configLines(text)) {
      const [keyword, ...rest] = line.split(/\s*=\s*|\s+/);
      const lower = keyword.toLowerCase();
      if (lower === 'match') {
        matchBlocks += 1;
        continue;
      }
      if (matchBlocks > 0) continue;
      if (lower === 'include') {
        for (const pattern of rest)
          for (const included of await includedFiles(root, pattern)) await read(included, depth + 1);
        continue;
      }
      const setting = KEYWORDS[lower];
      if (setting && !set.has(setting)) set.set(setting, rest.join(' '));
    }
  };
  await read(path.posix.join(SSH_DIR, 'sshd_config'), 0);
  const settings = { ...SSHD_DEFAULTS } as Record<SshdSetting, string>;
  for (const [setting, value] of set) settings[setting] = value;
  return {
    configPresent: configFiles.length > 0,
    configFiles,
    settings,
    explicitlySet: [...set.keys()].sort(),
    matchBlocks,
  };
}
