import type { FactModelEntry } from '../collector';

/**
 * What the Linux host collector reports. Resource ids start with the host name, followed by `:<root>` for facts read
 * from a configuration tree other than '/'. Mirrored in the lib's README.
 */
export const LINUX_HOST_FACT_MODEL: FactModelEntry[] = [
  {
    resourceType: 'linux.sshd',
    description:
      "Effective global sshd settings (`<host>/sshd`) from /etc/ssh/sshd_config and its Includes; first value wins, as in sshd; an unset keyword has OpenSSH's default",
    attributes: {
      configPresent: 'boolean: sshd_config exists',
      configFiles: 'string[]: files read, in order',
      permitRootLogin: '"yes" | "prohibit-password" | "forced-commands-only" | "no"',
      passwordAuthentication: '"yes" | "no"',
      kbdInteractiveAuthentication: '"yes" | "no" (ChallengeResponseAuthentication is its alias)',
      pubkeyAuthentication: '"yes" | "no"',
      permitEmptyPasswords: '"yes" | "no"',
      x11Forwarding: '"yes" | "no"',
      maxAuthTries: 'string number',
      loginGraceTime: 'string (seconds or time format)',
      allowTcpForwarding: '"yes" | "no" | "local" | "remote" | "all"',
      clientAliveInterval: 'string (seconds, 0 = off)',
      usePam: '"yes" | "no"',
      explicitlySet: 'string[]: the attributes above a file set (the others are defaults)',
      matchBlocks: 'number of Match blocks (their settings are conditional and not reported)',
    },
  },
  {
    resourceType: 'linux.password-aging',
    description:
      'Password aging for new accounts from /etc/login.defs (`<host>/login.defs`); a value not in the file is null',
    attributes: {
      loginDefsPresent: 'boolean',
      passMaxDays: 'number | null: PASS_MAX_DAYS',
      passMinDays: 'number | null: PASS_MIN_DAYS',
      passWarnAge: 'number | null: PASS_WARN_AGE',
      encryptMethod: 'string | null: ENCRYPT_METHOD, e.g. "YESCRYPT", "SHA512"',
    },
  },
  {
    resourceType: 'linux.automatic-updates',
    description:
      'Unattended security updates (`<host>/automatic-updates`): Debian/Ubuntu unattended-upgrades or RHEL/Fedora dnf-automatic',
    attributes: {
      mechanism: '"unattended-upgrades" | "dnf-automatic" | null (none found)',
      enabled:
        'boolean: installed and set to update package lists and install upgrades (dnf: apply_updates and timer enabled)',
      packageListsUpdateIntervalDays: 'number | null: APT::Periodic::Update-Package-Lists',
      unattendedUpgradeIntervalDays: 'number | null: APT::Periodic::Unattended-Upgrade',
      dnfApplyUpdates: 'boolean | null: apply_updates in /etc/dnf/automatic.conf',
      dnfTimerEnabled: 'boolean | null: dnf-automatic timer enabled in systemd',
    },
  },
  {
    resourceType: 'linux.firewall',
    description:
      'Firewall the host boots with, from persistent configuration (`<host>/firewall`); the live ruleset needs CAP_NET_ADMIN and is not read',
    attributes: {
      nftablesConfigured: 'boolean: /etc/nftables.conf exists',
      nftablesEnabled: 'boolean: and nftables.service is enabled',
      nftablesInputPolicy: '"accept" | "drop" | "reject" | null: policy of the input hook chain',
      iptablesConfigured: 'boolean: /etc/iptables/rules.v4 or /etc/sysconfig/iptables exists',
      iptablesInputPolicy: '"accept" | "drop" | "reject" | null: INPUT chain policy',
      ufwEnabled: 'boolean: ENABLED=yes in /etc/ufw/ufw.conf',
      ufwDefaultInputPolicy: '"accept" | "drop" | "reject" | null',
      firewalldEnabled: 'boolean: configured and firewalld.service enabled',
      defaultDenyInbound: 'boolean: an enabled mechanism drops or rejects inbound traffic by default',
    },
  },
  {
    resourceType: 'linux.listening-service',
    description:
      'One per TCP socket in LISTEN state on the running host (`<host>/<tcp|tcp6>/<address>:<port>`), from /proc/net',
    attributes: {
      protocol: '"tcp" | "tcp6"',
      address: 'bound address ("0.0.0.0", "::" = all interfaces)',
      port: 'number',
      exposure: '"loopback" | "all-interfaces" | "specific-address"',
      uid: 'number: owner uid of the socket',
      pid: 'number | null: owning process when its /proc/<pid>/fd is readable (all when running as root)',
      processName: 'string | null: its /proc/<pid>/comm',
    },
  },
  {
    resourceType: 'linux.disk-encryption',
    description: 'Summary for the running host (`<host>/disk-encryption`)',
    attributes: {
      rootFilesystemEncrypted: 'true | false | "unknown" (the device is not visible, e.g. in a container)',
      blockMounts: 'number of mounted block-device filesystems',
      encryptedMounts: 'number of those on dm-crypt',
      crypttabEntries: 'number of entries in /etc/crypttab under the root',
    },
  },
  {
    resourceType: 'linux.mount-encryption',
    description:
      'One per mounted block-device filesystem (`<host>/mount<mount point>`), from /proc/self/mountinfo and /sys/dev/block',
    attributes: {
      mountPoint: 'string',
      device: 'source device as mounted, e.g. /dev/mapper/root',
      fsType: 'e.g. "ext4"',
      encrypted: 'true | false | "unknown": dm-crypt anywhere below the device (LVM on LUKS counts)',
      method: '"LUKS2" | "LUKS1" | "plain" | … | null',
    },
  },
];
