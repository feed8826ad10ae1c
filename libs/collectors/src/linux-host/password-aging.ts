import { configLines, readHostFile } from './host-files';

export interface PasswordAging {
  loginDefsPresent: boolean;
  passMaxDays: number | null;
  passMinDays: number | null;
  passWarnAge: number | null;
  encryptMethod: string | null;
}

/** The aging rules new accounts get (/etc/login.defs); a value absent from the file is null, not a guessed default. */
export async function readPasswordAging(root: string): Promise<PasswordAging> {
  const text = await readHostFile(root, '/etc/login.defs');
  const values = new Map<string, string>();
  for (const line of configLines(text)) {
    const [key, value] = line.split(/\s+/);
    if (value !== undefined) values.set(key, value);
  }
  const number = (key: string) => {
    const value = values.get(key);
    return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : null;
  };
  return {
    loginDefsPresent: text !== null,
    passMaxDays: number('PASS_MAX_DAYS'),
    passMinDays: number('PASS_MIN_DAYS'),
    passWarnAge: number('PASS_WARN_AGE'),
    encryptMethod: values.get('ENCRYPT_METHOD') ?? null,
  };
}
