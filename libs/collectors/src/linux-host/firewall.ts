import { configLines, hostFileExists, listHostDir, readHostFile } from './host-files';

type Policy = 'accept' | 'drop' | 'reject' | null;

export interface FirewallConfig {
  nftablesConfigured: boolean;
  nftablesEnabled: boolean;
  nftablesInputPolicy: Policy;
  iptablesConfigured: boolean;
  iptablesInputPolicy: Policy;
  ufwEnabled: boolean;
  ufwDefaultInputPolicy: Policy;
  firewalldEnabled: boolean;
  defaultDenyInbound: boolean;
}

function policy(value: string | undefined): Policy {
  const lower = value?.toLowerCase();
  return lower === 'accept' || lower === 'drop' || lower === 'reject' ? lower : null;
}

async function unitEnabled(root: string, unit: string): Promise<boolean> {
  for (const target of ['multi-user.target.wants', 'sysinit.target.wants', 'basic.target.wants']) {
    if ((await listHostDir(root, `/etc/systemd/system/${target}`)).includes(unit)) return true;
  }
  return false;
}

/**
 * The firewall the host boots with, from its persistent configuration (reading the live ruleset needs
 * CAP_NET_ADMIN, which a collector should not have): nftables, iptables-persistent / RHEL iptables, ufw, firewalld.
 * Default deny inbound = an enabled mechanism whose input policy drops or rejects (firewalld's zones always do).
 */
export async function readFirewallConfig(root: string): Promise<FirewallConfig> {
  const nft = await readHostFile(root, '/etc/nftables.conf');
  const nftInput = nft?.match(/type\s+filter\s+hook\s+input\b[^;]*;\s*(?:priority[^;]*;\s*)?policy\s+(\w+)/);
  const nftablesEnabled = nft !== null && (await unitEnabled(root, 'nftables.service'));

  const iptables =
    (await readHostFile(root, '/etc/iptables/rules.v4')) ??
    (await readHostFile(root, '/etc/sysconfig/iptables'));
  const iptInput = iptables?.match(/^:INPUT\s+(\w+)/m);

  const ufwConf = configLines(await readHostFile(root, '/etc/ufw/ufw.conf'));
  const ufwEnabled = ufwConf.some((line) => /^ENABLED\s*=\s*"?yes"?$/i.test(line));
  const ufwDefaults = configLines(await readHostFile(root, '/etc/default/ufw'));
  const ufwInput = ufwDefaults
    .map((line) => line.match(/^DEFAULT_INPUT_POLICY\s*=\s*"?(\w+)"?$/))
    .find(Boolean);

  const firewalldEnabled =
    (await hostFileExists(root, '/etc/firewalld/firewalld.conf')) &&
    (await unitEnabled(root, 'firewalld.service'));

  const denies = (p: Policy) => p === 'drop' || p === 'reject';
  const result = {
    nftablesConfigured: nft !== null,
    nftablesEnabled,
    nftablesInputPolicy: policy(nftInput?.[1]),
    iptablesConfigured: iptables !== null,
    iptablesInputPolicy: policy(iptInput?.[1]),
    ufwEnabled,
    ufwDefaultInputPolicy: policy(ufwInput?.[1]),
    firewalldEnabled,
  };
  return {
    ...result,
    defaultDenyInbound:
      (nftablesEnabled && denies(result.nftablesInputPolicy)) ||
      denies(result.iptablesInputPolicy) ||
      (ufwEnabled && denies(result.ufwDefaultInputPolicy)) ||
      firewalldEnabled,
  };
}
