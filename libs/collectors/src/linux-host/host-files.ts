import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A file under the inspected root (`rel` is absolute as on the host, e.g. /etc/login.defs); null when absent. */
export async function readHostFile(root: string, rel: string): Promise<string | null> {
  try {
    return await readFile(path.join(root, rel), 'utf8');
  } catch (err) {
    if (['ENOENT', 'ENOTDIR', 'EACCES', 'EISDIR'].includes((err as NodeJS.ErrnoException).code ?? ''))
      return null;
    throw err;
  }
}

/** Names in a directory under the root, sorted as the tools that read `*.d` directories sort them; [] when absent. */
export async function listHostDir(root: string, rel: string): Promise<string[]> {
  try {
    return (await readdir(path.join(root, rel))).sort();
  } catch {
    return [];
  }
}

export async function hostFileExists(root: string, rel: string): Promise<boolean> {
  return access(path.join(root, rel)).then(
    () => true,
    () => false,
  );
}

/** Non-empty lines without `#` comment lines, trimmed. */
export function configLines(text: string | null): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}
