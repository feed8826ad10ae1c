import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

export interface ListeningSocket {
  protocol: 'tcp' | 'tcp6';
  address: string;
  port: number;
  exposure: 'loopback' | 'all-interfaces' | 'specific-address';
  uid: number;
  pid: number | null;
  processName: string | null;
}

const TCP_LISTEN = '0A';

/** /proc/net/tcp writes each 32-bit word of an address in host (little-endian) byte order. */
function wordBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const chunk = hex.slice(word, word + 8);
    for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(chunk.slice(i, i + 2), 16));
  }
  return bytes;
}

export function procNetAddress(hex: string): string {
  const bytes = wordBytes(hex);
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // The longest run of two or more zero groups becomes "::" (RFC 5952).
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === '0') length++;
    if (length > best.length) best = { start, length };
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

function exposure(address: string): ListeningSocket['exposure'] {
  if (address === '0.0.0.0' || address === '::') return 'all-interfaces';
  if (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.')) return 'loopback';
  return 'specific-address';
}

/** Socket inode → owning process, from /proc/<pid>/fd; processes of other users stay unknown unless running as root. */
async function socketOwners(procRoot: string): Promise<Map<string, { pid: number; name: string | null }>> {
  const owners = new Map<string, { pid: number; name: string | null }>();
  const pids = (await readdir(procRoot).catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const fdDir = path.join(procRoot, pid, 'fd');
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    let name: string | null | undefined;
    for (const fd of fds) {
      const target = await readlink(path.join(fdDir, fd)).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (!inode) continue;
      name ??= (await readFile(path.join(procRoot, pid, 'comm'), 'utf8').catch(() => null))?.trim() ?? null;
      owners.set(inode, { pid: Number(pid), name });
    }
  }
  return owners;
}

/** TCP sockets in LISTEN state of the running kernel (IPv4 and IPv6), with the process where it can be seen. */
export async function readListeningSockets(procRoot: string): Promise<ListeningSocket[]> {
  const listeners: Array<Omit<ListeningSocket, 'pid' | 'processName'> & { inode: string }> = [];
  for (const protocol of ['tcp', 'tcp6'] as const) {
    const text = await readFile(path.join(procRoot, 'net', protocol), 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== TCP_LISTEN) continue;
      const [addressHex, portHex] = fields[1].split(':');
      const address = procNetAddress(addressHex);
      listeners.push({
        protocol,
        address,
        port: parseInt(portHex, 16),
        exposure: exposure(address),
        uid: Number(fields[7]),
        inode: fields[9],
      });
    }
  }
  const owners = listeners.length ? await socketOwners(procRoot) : new Map();
  return listeners
    .map(({ inode, ...socket }) => ({
      ...socket,
      pid: owners.get(inode)?.pid ?? null,
      processName: owners.get(inode)?.name ?? null,
    }))
    .sort(
      (a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address),
    );
}
