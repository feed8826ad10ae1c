import { configLines, hostFileExists, listHostDir, readHostFile } from './host-files';

export interface AutomaticUpdates {
  mechanism: 'unattended-upgrades' | 'dnf-automatic' | null;
  enabled: boolean;
  packageListsUpdateIntervalDays: number | null;
  unattendedUpgradeIntervalDays: number | null;
  dnfApplyUpdates: boolean | null;
  dnfTimerEnabled: boolean | null;
}

const APT_CONF_DIR = '/etc/apt/apt.conf.d';

/** `APT::Periodic::<name> "<days>";` across apt.conf.d in file order: a later file overrides, as apt reads them. */
async function aptPeriodic(root: string): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  for (const name of await listHostDir(root, APT_CONF_DIR)) {
    const text = await readHostFile(root, `${APT_CONF_DIR}/${name}`);
    for (const match of (text ?? '').matchAll(/^\s*APT::Periodic::([A-Za-z-]+)\s+"(\d+)"\s*;/gm))
      values.set(match[1], Number(match[2]));
  }
  return values;
}

/**
 * Whether security updates install without a person: Debian/Ubuntu unattended-upgrades (apt's periodic settings) or
 * Fedora/RHEL dnf-automatic (apply_updates and its timer enabled).
 */
export async function readAutomaticUpdates(root: string): Promise<AutomaticUpdates> {
  const unattendedInstalled =
    (await hostFileExists(root, '/usr/bin/unattended-upgrade')) ||
    (await hostFileExists(root, `${APT_CONF_DIR}/50unattended-upgrades`));
  const periodic = await aptPeriodic(root);
  if (unattendedInstalled || periodic.size > 0) {
    const lists = periodic.get('Update-Package-Lists') ?? null;
    const upgrade = periodic.get('Unattended-Upgrade') ?? null;
    return {
      mechanism: 'unattended-upgrades',
      enabled: unattendedInstalled && (lists ?? 0) > 0 && (upgrade ?? 0) > 0,
      packageListsUpdateIntervalDays: lists,
      unattendedUpgradeIntervalDays: upgrade,
      dnfApplyUpdates: null,
      dnfTimerEnabled: null,
    };
  }
  const dnf = await readHostFile(root, '/etc/dnf/automatic.conf');
  if (dnf !== null) {
    const apply = configLines(dnf).some((line) => /^apply_updates\s*=\s*(yes|true|1)$/i.test(line));
    const timers = await listHostDir(root, '/etc/systemd/system/timers.target.wants');
    const timer = timers.some((name) => name.startsWith('dnf-automatic'));
    return {
      mechanism: 'dnf-automatic',
      enabled: apply && timer,
      packageListsUpdateIntervalDays: null,
      unattendedUpgradeIntervalDays: null,
      dnfApplyUpdates: apply,
      dnfTimerEnabled: timer,
    };
  }
  return {
    mechanism: null,
    enabled: false,
    packageListsUpdateIntervalDays: null,
    unattendedUpgradeIntervalDays: null,
    dnfApplyUpdates: null,
    dnfTimerEnabled: null,
  };
}
