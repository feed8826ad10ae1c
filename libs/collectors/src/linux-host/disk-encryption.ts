import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { configLines, readHostFile } from './host-files';

export interface MountEncryption {
  mountPoint: string;
  device: string;
  fsType: string;
  /** 'unknown' when the device is not visible in /sys (a container, an unusual driver). */
  encrypted: boolean | 'unknown';
  /** e.g. 'LUKS2' from the dm-crypt device's uuid; 'plain' for dm-crypt without LUKS; null when not encrypted. */
  method: string | null;
}

export interface DiskEncryption {
  mounts: MountEncryption[];
  rootFilesystemEncrypted: boolean | 'unknown';
  crypttabEntries: number;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountinfo(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * The dm-crypt layer under a block device, if any: device-mapper names a crypt target's uuid `CRYPT-<type>-…`, and
 * LVM or RAID on top of it lists it among its `slaves`, so the walk goes down the stack.
 */
async function cryptMethod(deviceDir: string, depth = 0): Promise<string | null> {
  if (depth > 8) return null;
  const uuid = (await readFile(path.join(deviceDir, 'dm', 'uuid'), 'utf8').catch(() => '')).trim();
  const crypt = /^CRYPT-([A-Za-z0-9]+)/.exec(uuid);
  if (crypt) return crypt[1] === 'PLAIN' ? 'plain' : crypt[1];
  for (const slave of await readdir(path.join(deviceDir, 'slaves')).catch(() => [] as string[])) {
    const below = await realpath(path.join(deviceDir, 'slaves', slave)).catch(() => null);
    const method = below && (await cryptMethod(below, depth + 1));
    if (method) return method;
  }
  return null;
}

/**
 * Which mounted block-device filesystems sit on dm-crypt, from the running kernel (/proc/self/mountinfo and
 * /sys/dev/block), plus the crypttab of the inspected root (what is set up to be unlocked at boot).
 */
export async function readDiskEncryption(o: {
  root: string;
  procRoot: string;
  sysRoot: string;
}): Promise<DiskEncryption> {
  const mountinfo = await readFile(path.join(o.procRoot, 'self', 'mountinfo'), 'utf8').catch(() => '');
  const mounts: MountEncryption[] = [];
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!after) continue;
    const fields = before.split(' ');
    const [fsType, source] = after.split(' ');
    const majorMinor = fields[2];
    // Major 0 is the kernel's anonymous devices: proc, tmpfs, overlay — no disk to encrypt.
    if (!majorMinor || majorMinor.startsWith('0:')) continue;
    const deviceDir = await realpath(path.join(o.sysRoot, 'dev', 'block', majorMinor)).catch(() => null);
    const method = deviceDir ? await cryptMethod(deviceDir) : null;
    mounts.push({
      mountPoint: unescapeMountinfo(fields[4]),
      device: unescapeMountinfo(source),
      fsType,
      encrypted: deviceDir ? method !== null : 'unknown',
      method,
    });
  }
  const root = mounts.find((mount) => mount.mountPoint === '/');
  return {
    mounts,
    rootFilesystemEncrypted: root ? root.encrypted : 'unknown',
    crypttabEntries: configLines(await readHostFile(o.root, '/etc/crypttab')).length,
  };
}
