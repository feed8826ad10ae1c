import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CollectionResult, Fact } from '../collector';
import { CollectorConfigError } from '../collector';
import { linuxHostBaselineCollectorWith } from './linux-host-baseline-collector';
import { procNetAddress } from './listening-sockets';

async function write(base: string, rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(base, rel)), { recursive: true });
  await writeFile(path.join(base, rel), text);
}

function attributesOf(result: CollectionResult, resourceType: string): Record<string, unknown> {
  const facts = result.facts.filter((fact: Fact) => fact.resourceType === resourceType);
  expect(facts).toHaveLength(1);
  return facts[0].attributes;
}

/**
 * A prepared host: configuration files under `root`, and a kernel view (`proc`, `sys`) with a LUKS2 root on LVM, an
 * unencrypted /boot, an overlay, and two listening sockets, so every fact has a known expected value.
 */
describe('linux-host-baseline on a prepared host', () => {
  let base: string;
  let root: string;
  let kernel: { procRoot: string; sysRoot: string };
  const now = new Date('2031-03-02T08:00:00Z');

  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'attest-linux-host-'));
    root = path.join(base, 'root');
    kernel = { procRoot: path.join(base, 'proc'), sysRoot: path.join(base, 'sys') };

    await write(
      root,
      '/etc/ssh/sshd_config',
      [
        '# distribution defaults',
        'Include /etc/ssh/sshd_config.d/*.conf',
        'PermitRootLogin yes',
        'PasswordAuthentication yes',
        'ChallengeResponseAuthentication no',
        'UsePAM yes',
        'Match User backup',
        '  PasswordAuthentication yes',
        '  X11Forwarding yes',
      ].join('\n'),
    );
    // Included first, so its values win over the main file's later lines (sshd: first value obtained wins).
    await write(
      root,
      '/etc/ssh/sshd_config.d/50-hardening.conf',
      'PasswordAuthentication no\nMaxAuthTries=3\n',
    );
    await write(root, '/etc/ssh/sshd_config.d/README', 'PermitRootLogin no\n');
    await write(
      root,
      '/etc/login.defs',
      '# aging\nPASS_MAX_DAYS\t90\nPASS_MIN_DAYS 1\nENCRYPT_METHOD YESCRYPT\n',
    );
    await write(
      root,
      '/etc/apt/apt.conf.d/20auto-upgrades',
      'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "0";\n',
    );
    await write(
      root,
      '/etc/apt/apt.conf.d/50unattended-upgrades',
      'Unattended-Upgrade::Origins-Pattern {};\n',
    );
    await write(root, '/etc/apt/apt.conf.d/99local', 'APT::Periodic::Unattended-Upgrade "1";\n');
    await write(
      root,
      '/etc/nftables.conf',
      'table inet filter {\n  chain input {\n    type filter hook input priority filter; policy drop;\n  }\n}\n',
    );
    await write(root, '/etc/systemd/system/sysinit.target.wants/nftables.service', '');
    await write(root, '/etc/crypttab', '# <target> <source> <key>\ncryptroot UUID=1234 none luks,discard\n');

    await write(
      kernel.procRoot,
      '/self/mountinfo',
      [
        '22 27 0:21 / /proc rw,relatime - proc proc rw',
        '27 1 254:1 / / rw,relatime - ext4 /dev/mapper/vg-root rw',
        '28 27 8:1 / /boot rw,relatime - ext4 /dev/sda1 rw',
        '29 27 0:40 / /var/lib/docker/overlay rw - overlay overlay rw',
        '30 27 9:9 / /mnt/usb\\040disk rw - vfat /dev/sdz1 rw',
      ].join('\n') + '\n',
    );
    const header =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    await write(
      kernel.procRoot,
      '/net/tcp',
      header +
        '   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 4242 1 0\n' +
        '   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4343 1 0\n' +
        '   2: 0100007F:1538 0100007F:D431 01 00000000:00000000 00:00000000 00000000   999        0 4444 1 0\n',
    );
    await write(
      kernel.procRoot,
      '/net/tcp6',
      header +
        '   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 0 0 0 33 0 4545 1 0\n',
    );
    await write(kernel.procRoot, '/4711/comm', 'postgres\n');
    await mkdir(path.join(kernel.procRoot, '4711', 'fd'), { recursive: true });
    await symlink('socket:[4242]', path.join(kernel.procRoot, '4711', 'fd', '7'));
    await symlink('/dev/null', path.join(kernel.procRoot, '4711', 'fd', '0'));

    // LVM (dm-1) on LUKS2 (dm-0) on sda2; /boot on sda1 with no crypt layer; 9:9 is not in /sys.
    const devices = path.join(kernel.sysRoot, 'devices');
    await write(devices, '/virtual/block/dm-0/dm/uuid', 'CRYPT-LUKS2-0123456789abcdef-cryptroot\n');
    await write(devices, '/virtual/block/dm-1/dm/uuid', 'LVM-abcdef\n');
    await mkdir(path.join(devices, 'virtual/block/dm-1/slaves'), { recursive: true });
    await symlink(
      path.join(devices, 'virtual/block/dm-0'),
      path.join(devices, 'virtual/block/dm-1/slaves/dm-0'),
    );
    await write(devices, '/pci/block/sda/sda1/partition', '1\n');
    await mkdir(path.join(kernel.sysRoot, 'dev', 'block'), { recursive: true });
    await symlink(path.join(devices, 'virtual/block/dm-1'), path.join(kernel.sysRoot, 'dev/block/254:1'));
    await symlink(path.join(devices, 'pci/block/sda/sda1'), path.join(kernel.sysRoot, 'dev/block/8:1'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const collect = () =>
    linuxHostBaselineCollectorWith(kernel).collect({ root }, { now, allowedPaths: [base] });

  it('reports the effective global sshd settings as sshd would apply them', async () => {
    const sshd = attributesOf(await collect(), 'linux.sshd');
    expect(sshd).toEqual({
      configPresent: true,
      configFiles: ['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/50-hardening.conf'],
      permitRootLogin: 'yes',
      passwordAuthentication: 'no',
      kbdInteractiveAuthentication: 'no',
      pubkeyAuthentication: 'yes',
      permitEmptyPasswords: 'no',
      x11Forwarding: 'no',
      maxAuthTries: '3',
      loginGraceTime: '120',
      allowTcpForwarding: 'yes',
      clientAliveInterval: '0',
      usePam: 'yes',
      explicitlySet: [
        'kbdInteractiveAuthentication',
        'maxAuthTries',
        'passwordAuthentication',
        'permitRootLogin',
        'usePam',
      ],
      matchBlocks: 1,
    });
  });

  it('reports password aging, automatic updates and the boot firewall', async () => {
    const result = await collect();
    expect(attributesOf(result, 'linux.password-aging')).toEqual({
      loginDefsPresent: true,
      passMaxDays: 90,
      passMinDays: 1,
      passWarnAge: null,
      encryptMethod: 'YESCRYPT',
    });
    // 99local overrides 20auto-upgrades' "0", as apt reads the directory in order.
    expect(attributesOf(result, 'linux.automatic-updates')).toMatchObject({
      mechanism: 'unattended-upgrades',
      enabled: true,
      packageListsUpdateIntervalDays: 1,
      unattendedUpgradeIntervalDays: 1,
    });
    expect(attributesOf(result, 'linux.firewall')).toMatchObject({
      nftablesConfigured: true,
      nftablesEnabled: true,
      nftablesInputPolicy: 'drop',
      iptablesConfigured: false,
      ufwEnabled: false,
      firewalldEnabled: false,
      defaultDenyInbound: true,
    });
  });

  it('finds dm-crypt under LVM, an unencrypted partition, and says unknown for a device it cannot see', async () => {
    const result = await collect();
    expect(attributesOf(result, 'linux.disk-encryption')).toEqual({
      rootFilesystemEncrypted: true,
      blockMounts: 3,
      encryptedMounts: 1,
      crypttabEntries: 1,
    });
    const mounts = result.facts
      .filter((fact) => fact.resourceType === 'linux.mount-encryption')
      .map((fact) => fact.attributes);
    expect(mounts).toEqual([
      { mountPoint: '/', device: '/dev/mapper/vg-root', fsType: 'ext4', encrypted: true, method: 'LUKS2' },
      { mountPoint: '/boot', device: '/dev/sda1', fsType: 'ext4', encrypted: false, method: null },
      {
        mountPoint: '/mnt/usb disk',
        device: '/dev/sdz1',
        fsType: 'vfat',
        encrypted: 'unknown',
        method: null,
      },
    ]);
  });

  it('lists listening sockets with their exposure and owning process where visible', async () => {
    const result = await collect();
    const listeners = result.facts
      .filter((fact) => fact.resourceType === 'linux.listening-service')
      .map((fact) => fact.attributes);
    expect(listeners).toEqual([
      {
        protocol: 'tcp',
        address: '0.0.0.0',
        port: 22,
        exposure: 'all-interfaces',
        uid: 0,
        pid: null,
        processName: null,
      },
      {
        protocol: 'tcp6',
        address: '::',
        port: 80,
        exposure: 'all-interfaces',
        uid: 33,
        pid: null,
        processName: null,
      },
      {
        protocol: 'tcp',
        address: '127.0.0.1',
        port: 5432,
        exposure: 'loopback',
        uid: 999,
        pid: 4711,
        processName: 'postgres',
      },
    ]);
  });

  it('writes one JSON snapshot of all facts, covering the day of collection', async () => {
    const result = await collect();
    expect(result.snapshots).toHaveLength(1);
    expect(result.snapshots[0]).toMatchObject({
      evidenceType: 'config-snapshot',
      mediaType: 'application/json',
      period: { from: '2031-03-02', to: '2031-03-02' },
    });
    expect(result.snapshots[0].fileName).toMatch(/^linux-host-baseline-[A-Za-z0-9._-]+-2031-03-02\.json$/);
    expect(JSON.parse(result.snapshots[0].content.toString('utf8')).facts).toEqual(result.facts);
  });

  it('reports an empty host as such rather than failing', async () => {
    const empty = path.join(base, 'empty');
    await mkdir(empty, { recursive: true });
    const result = await linuxHostBaselineCollectorWith(kernel).collect(
      { root: empty },
      { now, allowedPaths: [base] },
    );
    expect(attributesOf(result, 'linux.sshd')).toMatchObject({
      configPresent: false,
      configFiles: [],
      explicitlySet: [],
    });
    expect(attributesOf(result, 'linux.password-aging')).toMatchObject({
      loginDefsPresent: false,
      passMaxDays: null,
    });
    expect(attributesOf(result, 'linux.automatic-updates')).toMatchObject({
      mechanism: null,
      enabled: false,
    });
    expect(attributesOf(result, 'linux.firewall')).toMatchObject({ defaultDenyInbound: false });
  });

  it('refuses a root outside the allowed paths', async () => {
    await expect(
      linuxHostBaselineCollectorWith(kernel).collect(
        { root },
        { now, allowedPaths: [path.join(base, 'elsewhere')] },
      ),
    ).rejects.toBeInstanceOf(CollectorConfigError);
  });
});

describe('procNetAddress', () => {
  it.each([
    ['0100007F', '127.0.0.1'],
    ['00000000000000000000000001000000', '::1'],
    ['0000000000000000FFFF00000100007F', '::ffff:127.0.0.1'],
    ['B80D0120000000000000000001000000', '2001:db8::1'],
  ])('decodes %s as %s', (hex, address) => {
    expect(procNetAddress(hex)).toBe(address);
  });
});
