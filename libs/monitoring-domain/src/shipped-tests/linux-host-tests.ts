import type { ResourceFact } from '../monitoring-events';
import { anotherResource, withAttributes, type ShippedTest } from './shipped-test';

// Facts of the `linux-host-baseline` collector (fact model in libs/collectors/README.md), for a hardened host.
const HOST = 'app-01';

const sshd: ResourceFact = {
  resourceType: 'linux.sshd',
  resourceId: `${HOST}/sshd`,
  attributes: {
    configPresent: true,
    configFiles: ['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/50-hardening.conf'],
    permitRootLogin: 'no',
    passwordAuthentication: 'no',
    kbdInteractiveAuthentication: 'no',
    pubkeyAuthentication: 'yes',
    permitEmptyPasswords: 'no',
    x11Forwarding: 'no',
    maxAuthTries: '4',
    loginGraceTime: '60',
    allowTcpForwarding: 'no',
    clientAliveInterval: '300',
    usePam: 'yes',
    explicitlySet: [
      'permitRootLogin',
      'passwordAuthentication',
      'kbdInteractiveAuthentication',
      'x11Forwarding',
      'maxAuthTries',
      'loginGraceTime',
      'allowTcpForwarding',
      'clientAliveInterval',
      'usePam',
    ],
    matchBlocks: 0,
  },
};

const passwordAging: ResourceFact = {
  resourceType: 'linux.password-aging',
  resourceId: `${HOST}/login.defs`,
  attributes: {
    loginDefsPresent: true,
    passMaxDays: 365,
    passMinDays: 1,
    passWarnAge: 7,
    encryptMethod: 'YESCRYPT',
  },
};

const automaticUpdates: ResourceFact = {
  resourceType: 'linux.automatic-updates',
  resourceId: `${HOST}/automatic-updates`,
  attributes: {
    mechanism: 'unattended-upgrades',
    enabled: true,
    packageListsUpdateIntervalDays: 1,
    unattendedUpgradeIntervalDays: 1,
    dnfApplyUpdates: null,
    dnfTimerEnabled: null,
  },
};

const firewall: ResourceFact = {
  resourceType: 'linux.firewall',
  resourceId: `${HOST}/firewall`,
  attributes: {
    nftablesConfigured: true,
    nftablesEnabled: true,
    nftablesInputPolicy: 'drop',
    iptablesConfigured: false,
    iptablesInputPolicy: null,
    ufwEnabled: false,
    ufwDefaultInputPolicy: null,
    firewalldEnabled: false,
    defaultDenyInbound: true,
  },
};

const sshListener: ResourceFact = {
  resourceType: 'linux.listening-service',
  resourceId: `${HOST}/tcp/0.0.0.0:22`,
  attributes: {
    protocol: 'tcp',
    address: '0.0.0.0',
    port: 22,
    exposure: 'all-interfaces',
    uid: 0,
    pid: 812,
    processName: 'sshd',
  },
};

const diskEncryption: ResourceFact = {
  resourceType: 'linux.disk-encryption',
  resourceId: `${HOST}/disk-encryption`,
  attributes: { rootFilesystemEncrypted: true, blockMounts: 2, encryptedMounts: 2, crypttabEntries: 1 },
};

const dataMount: ResourceFact = {
  resourceType: 'linux.mount-encryption',
  resourceId: `${HOST}/mount/var/lib/postgresql`,
  attributes: {
    mountPoint: '/var/lib/postgresql',
    device: '/dev/mapper/vg0-data',
    fsType: 'ext4',
    encrypted: true,
    method: 'LUKS2',
  },
};

/** CIS benchmark items read from the host's configuration: each implements the catalog's CIS compliance test. */
const cis = { catalogControlIds: ['OPS-07'], controlIds: [] };
const controls = (...catalogControlIds: string[]) => ({ catalogControlIds, controlIds: [] });
const SSHD_PRESENT = 'resource.attributes.configPresent';

export const LINUX_HOST_TESTS: readonly ShippedTest[] = [
  {
    testId: 'ssh-root-login-disabled',
    title: 'sshd refuses root logins',
    description: 'PermitRootLogin is no: administrators log in as themselves and escalate, which is logged.',
    factTypes: ['linux.sshd'],
    applies: SSHD_PRESENT,
    condition: 'resource.attributes.permitRootLogin == "no"',
    details: '{"permitRootLogin": resource.attributes.permitRootLogin}',
    severity: 'high',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation: 'Set PermitRootLogin no in /etc/ssh/sshd_config (before any Match block) and reload sshd.',
    fixtures: { pass: sshd, fail: withAttributes(sshd, { permitRootLogin: 'prohibit-password' }) },
  },
  {
    testId: 'ssh-password-authentication-disabled',
    title: 'sshd accepts keys, not passwords',
    description:
      'PasswordAuthentication and KbdInteractiveAuthentication are no, so passwords cannot be guessed.',
    factTypes: ['linux.sshd'],
    applies: SSHD_PRESENT,
    condition:
      'resource.attributes.passwordAuthentication == "no" && resource.attributes.kbdInteractiveAuthentication == "no"',
    details:
      '{"passwordAuthentication": resource.attributes.passwordAuthentication, ' +
      '"kbdInteractiveAuthentication": resource.attributes.kbdInteractiveAuthentication}',
    severity: 'high',
    controls: controls('AC-04', 'OPS-07'),
    catalogTestId: 'cis-benchmark-compliance',
    remediation: 'Set PasswordAuthentication no and KbdInteractiveAuthentication no, then reload sshd.',
    fixtures: { pass: sshd, fail: withAttributes(sshd, { passwordAuthentication: 'yes' }) },
  },
  {
    testId: 'ssh-empty-passwords-refused',
    title: 'sshd refuses empty passwords',
    description: 'PermitEmptyPasswords is no.',
    factTypes: ['linux.sshd'],
    applies: SSHD_PRESENT,
    condition: 'resource.attributes.permitEmptyPasswords == "no"',
    severity: 'critical',
    controls: controls('AC-04', 'OPS-07'),
    catalogTestId: 'cis-benchmark-compliance',
    remediation: 'Set PermitEmptyPasswords no and reload sshd.',
    fixtures: { pass: sshd, fail: withAttributes(sshd, { permitEmptyPasswords: 'yes' }) },
  },
  {
    testId: 'ssh-x11-forwarding-disabled',
    title: 'sshd does not forward X11',
    description: 'X11Forwarding is no: a server has no display, and forwarding exposes the client.',
    factTypes: ['linux.sshd'],
    applies: SSHD_PRESENT,
    condition: 'resource.attributes.x11Forwarding == "no"',
    severity: 'low',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation: 'Set X11Forwarding no and reload sshd.',
    fixtures: { pass: sshd, fail: withAttributes(sshd, { x11Forwarding: 'yes' }) },
  },
  {
    testId: 'ssh-max-auth-tries-limited',
    title: 'sshd limits authentication attempts',
    description: 'MaxAuthTries is 4 or fewer per connection.',
    factTypes: ['linux.sshd'],
    applies: SSHD_PRESENT,
    condition: 'int(resource.attributes.maxAuthTries) <= 4',
    details: '{"maxAuthTries": resource.attributes.maxAuthTries}',
    severity: 'medium',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation: 'Set MaxAuthTries 4 and reload sshd.',
    fixtures: { pass: sshd, fail: withAttributes(sshd, { maxAuthTries: '6' }) },
  },
  {
    testId: 'ssh-idle-sessions-checked',
    title: 'sshd checks idle sessions',
    description:
      'ClientAliveInterval is between 1 and 900 seconds, so abandoned sessions are noticed and closed.',
    factTypes: ['linux.sshd'],
    applies: SSHD_PRESENT,
    condition:
      'resource.attributes.clientAliveInterval.matches("^[0-9]+$") && ' +
      'int(resource.attributes.clientAliveInterval) > 0 && int(resource.attributes.clientAliveInterval) <= 900',
    details: '{"clientAliveInterval": resource.attributes.clientAliveInterval}',
    severity: 'low',
    controls: cis,
    catalogTestId: 'cis-benchmark-compliance',
    remediation: 'Set ClientAliveInterval 300 (and ClientAliveCountMax 3) and reload sshd.',
    fixtures: { pass: sshd, fail: withAttributes(sshd, { clientAliveInterval: '0' }) },
  },
  {
    testId: 'linux-password-max-age-limited',
    title: 'New accounts have password aging',
    description: 'PASS_MAX_DAYS in /etc/login.defs is set and at most 365 days.',
    factTypes: ['linux.password-aging'],
    applies: 'resource.attributes.loginDefsPresent',
    condition: 'resource.attributes.passMaxDays != null && resource.attributes.passMaxDays <= 365.0',
    details: '{"passMaxDays": resource.attributes.passMaxDays}',
    severity: 'low',
    controls: controls('AC-04'),
    remediation: 'Set PASS_MAX_DAYS 365 in /etc/login.defs (chage -M for existing accounts).',
    fixtures: { pass: passwordAging, fail: withAttributes(passwordAging, { passMaxDays: 99999 }) },
  },
  {
    testId: 'linux-password-hashing-strong',
    title: 'Account passwords use a strong hash',
    description: 'ENCRYPT_METHOD is YESCRYPT or SHA512.',
    factTypes: ['linux.password-aging'],
    applies: 'resource.attributes.loginDefsPresent',
    condition: 'resource.attributes.encryptMethod in ["YESCRYPT", "SHA512"]',
    details: '{"encryptMethod": resource.attributes.encryptMethod}',
    severity: 'medium',
    controls: controls('AC-04'),
    remediation: 'Set ENCRYPT_METHOD YESCRYPT in /etc/login.defs, then have users change their passwords.',
    fixtures: { pass: passwordAging, fail: withAttributes(passwordAging, { encryptMethod: 'MD5' }) },
  },
  {
    testId: 'linux-automatic-security-updates-enabled',
    title: 'The host installs security updates by itself',
    description: 'unattended-upgrades or dnf-automatic is installed and set to apply updates.',
    factTypes: ['linux.automatic-updates'],
    condition: 'resource.attributes.enabled == true',
    details: '{"mechanism": resource.attributes.mechanism}',
    severity: 'high',
    controls: controls('VUL-05'),
    remediation:
      'Debian/Ubuntu: install unattended-upgrades and dpkg-reconfigure it; RHEL/Fedora: set apply_updates = yes ' +
      'in /etc/dnf/automatic.conf and enable dnf-automatic.timer.',
    fixtures: {
      pass: automaticUpdates,
      fail: withAttributes(automaticUpdates, { enabled: false, unattendedUpgradeIntervalDays: 0 }),
    },
  },
  {
    testId: 'linux-firewall-default-deny-inbound',
    title: 'The host drops inbound traffic by default',
    description:
      'An enabled firewall (nftables, iptables, ufw or firewalld) drops or rejects inbound traffic by default.',
    factTypes: ['linux.firewall'],
    condition: 'resource.attributes.defaultDenyInbound == true',
    severity: 'high',
    controls: controls('NET-01', 'OPS-07'),
    catalogTestId: 'cis-benchmark-compliance',
    remediation:
      'Enable a firewall with an input policy of drop and explicit allow rules (e.g. ufw default deny incoming).',
    fixtures: {
      pass: firewall,
      fail: withAttributes(firewall, { nftablesInputPolicy: 'accept', defaultDenyInbound: false }),
    },
  },
  {
    testId: 'linux-exposed-services-expected',
    title: 'Only SSH and web ports listen on every interface',
    description:
      'A socket bound to all interfaces is on port 22, 80 or 443; anything else is bound to an address.',
    factTypes: ['linux.listening-service'],
    applies: 'resource.attributes.exposure == "all-interfaces"',
    condition: 'resource.attributes.port in [22, 80, 443]',
    details: '{"port": resource.attributes.port, "process": resource.attributes.processName}',
    severity: 'medium',
    controls: controls('NET-01'),
    remediation:
      'Bind the service to loopback or a private address, or accept an exception naming why it is public.',
    fixtures: {
      pass: sshListener,
      fail: anotherResource(sshListener, `${HOST}/tcp/0.0.0.0:8080`, {
        port: 8080,
        pid: 1290,
        processName: 'node',
      }),
    },
  },
  {
    testId: 'linux-database-ports-not-exposed',
    title: 'Databases listen on loopback only',
    description:
      'No PostgreSQL, MySQL, Redis, MongoDB or Elasticsearch port listens beyond loopback on an app host.',
    factTypes: ['linux.listening-service'],
    applies: 'resource.attributes.exposure != "loopback"',
    condition: '!(resource.attributes.port in [5432, 3306, 6379, 27017, 9200])',
    details: '{"port": resource.attributes.port, "address": resource.attributes.address}',
    severity: 'high',
    controls: controls('NET-01'),
    remediation:
      'Bind the database to 127.0.0.1 (or a private address behind a firewall rule) and restart it.',
    fixtures: {
      pass: sshListener,
      fail: anotherResource(sshListener, `${HOST}/tcp/0.0.0.0:6379`, {
        port: 6379,
        uid: 112,
        pid: 944,
        processName: 'redis-server',
      }),
    },
  },
  {
    testId: 'block-volume-encrypted',
    title: 'Mounted volumes are encrypted',
    description:
      'Every mounted block-device filesystem sits on dm-crypt (LUKS); volumes the collector cannot see are not judged.',
    factTypes: ['linux.mount-encryption'],
    applies: 'resource.attributes.encrypted != "unknown"',
    condition: 'resource.attributes.encrypted == true',
    details: '{"mountPoint": resource.attributes.mountPoint, "device": resource.attributes.device}',
    severity: 'high',
    controls: controls('CNF-03'),
    catalogTestId: 'block-volume-encrypted',
    remediation:
      'Move the data to a LUKS2-encrypted volume (cryptsetup luksFormat) and add it to /etc/crypttab.',
    fixtures: {
      pass: dataMount,
      fail: withAttributes(dataMount, { device: '/dev/sdb1', encrypted: false, method: null }),
    },
  },
  {
    testId: 'linux-root-filesystem-encrypted',
    title: 'The root filesystem is encrypted',
    description: 'The root filesystem is on dm-crypt, so a lost or decommissioned disk exposes nothing.',
    factTypes: ['linux.disk-encryption'],
    applies: 'resource.attributes.rootFilesystemEncrypted != "unknown"',
    condition: 'resource.attributes.rootFilesystemEncrypted == true',
    severity: 'medium',
    controls: controls('CNF-03'),
    remediation:
      'Reinstall or migrate the host onto a LUKS-encrypted root (the installer offers full-disk encryption).',
    fixtures: {
      pass: diskEncryption,
      fail: withAttributes(diskEncryption, { rootFilesystemEncrypted: false, encryptedMounts: 1 }),
    },
  },
];
