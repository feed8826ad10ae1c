// Verifies a downloaded evidence bundle offline (tools/attest-verify/README.md):
//
//   npm run attest-verify -- <bundle.tar.gz | directory> --keys <jwks.json | url> [--checkpoint <checkpoint.json>] [--json]
//
// Exit code 0 when every check passes, 1 when one fails (each failure names the file, item or chain sequence),
// 2 when the command cannot run (bad arguments, unreadable input).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatBundleReport } from '@attest/evidence-bundle';
import { publicKeysFromJwks, type ChainCheckpoint } from '@attest/event-store';
import { readBundle } from './bundle-source';
import { verifyBundle } from './verify-bundle';

async function loadJson<T>(where: string): Promise<T> {
  if (/^https?:\/\//.test(where)) {
    const response = await fetch(where);
    if (!response.ok) throw new Error(`${where}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
  return JSON.parse(readFileSync(fromCaller(where), 'utf8')) as T;
}

/** `npm run` starts the command in the repository; a path the caller typed is relative to where they were. */
function fromCaller(path: string): string {
  return resolve(process.env['INIT_CWD'] ?? process.cwd(), path);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const keys = option(args, 'keys');
  const checkpoint = option(args, 'checkpoint');
  const valued = new Set([keys, checkpoint]);
  const bundle = args.find(
    (a, i) => !a.startsWith('--') && !(valued.has(a) && args[i - 1]?.startsWith('--')),
  );
  if (!bundle || !keys) {
    console.error(
      'usage: npm run attest-verify -- <bundle.tar.gz|directory> --keys <jwks.json|url> [--checkpoint <checkpoint.json>] [--json]',
    );
    return 2;
  }
  const report = verifyBundle(await readBundle(fromCaller(bundle)), {
    publicKeys: publicKeysFromJwks(await loadJson(keys)),
    earlierCheckpoint: checkpoint ? await loadJson<ChainCheckpoint>(checkpoint) : undefined,
  });
  process.stdout.write(
    args.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatBundleReport(report),
  );
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`attest-verify: ${(err as Error).message}`);
      process.exit(2);
    },
  );
}
