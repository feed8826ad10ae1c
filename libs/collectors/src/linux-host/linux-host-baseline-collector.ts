import os from 'node:os';
import type { Collector, CollectorContext, Fact } from '../collector';
import { resolveAllowedPath } from '../allowed-paths';
import { jsonFactsSnapshot } from '../snapshot';
import { readAutomaticUpdates } from './automatic-updates';
import { readDiskEncryption } from './disk-encryption';
import { readFirewallConfig } from './firewall';
import { LINUX_HOST_FACT_MODEL } from './linux-host-fact-model';
import { readListeningSockets } from './listening-sockets';
import { readPasswordAging } from './password-aging';
import { readSshdConfig } from './sshd-config';

export interface LinuxHostBaselineConfig {
  /** Directory holding the host's /etc (default '/'); another directory must be under the allowed paths. */
  root?: string;
}

const HOST_ROOT = '/';

/**
 * Where the running kernel's state is read: always the real host's (listening sockets, mounts and block devices
 * belong to the machine, not to a configuration tree); tests substitute prepared trees.
 */
export interface KernelViews {
  procRoot: string;
  sysRoot: string;
}

/**
 * Baseline of the Linux host the service runs on: configuration files under `root` (sshd, login.defs, automatic
 * updates, firewall, crypttab) and the running kernel's listening sockets and disk encryption.
 */
export function linuxHostBaselineCollectorWith(kernel: KernelViews): Collector<LinuxHostBaselineConfig> {
  const collector: Collector<LinuxHostBaselineConfig> = {
    id: 'linux-host-baseline',
    version: '1.0.0',
    title: 'Linux host baseline',
    configSchema: {
      type: 'object',
      properties: {
        root: {
          type: 'string',
          minLength: 1,
          default: HOST_ROOT,
          description: "Directory holding the host's /etc; other than '/' it must be under the allowed paths",
        },
      },
      additionalProperties: false,
    },
    serves: {
      catalogControlIds: ['OPS-07', 'AC-04', 'NET-01', 'VUL-05', 'CNF-03'],
      testIds: ['cis-benchmark-compliance', 'block-volume-encrypted'],
    },
    factModel: LINUX_HOST_FACT_MODEL,
    async collect(config: LinuxHostBaselineConfig, ctx: CollectorContext) {
      const configured = config.root ?? HOST_ROOT;
      const root = configured === HOST_ROOT ? HOST_ROOT : await resolveAllowedPath(configured, ctx, 'root');
      const host = os.hostname();
      const subject = root === HOST_ROOT ? host : `${host}:${root}`;
      const sshd = await readSshdConfig(root);
      const disks = await readDiskEncryption({ root, ...kernel });
      // A bind mount repeats a mount point; the last one listed is the one in effect.
      const mounts = new Map(disks.mounts.map((mount) => [mount.mountPoint, mount]));
      const facts: Fact[] = [
        {
          resourceType: 'linux.sshd',
          resourceId: `${subject}/sshd`,
          attributes: {
            configPresent: sshd.configPresent,
            configFiles: sshd.configFiles,
            ...sshd.settings,
            explicitlySet: sshd.explicitlySet,
            matchBlocks: sshd.matchBlocks,
          },
        },
        {
          resourceType: 'linux.password-aging',
          resourceId: `${subject}/login.defs`,
          attributes: { ...(await readPasswordAging(root)) },
        },
        {
          resourceType: 'linux.automatic-updates',
          resourceId: `${subject}/automatic-updates`,
          attributes: { ...(await readAutomaticUpdates(root)) },
        },
        {
          resourceType: 'linux.firewall',
          resourceId: `${subject}/firewall`,
          attributes: { ...(await readFirewallConfig(root)) },
        },
        ...(await readListeningSockets(kernel.procRoot)).map((socket) => ({
          resourceType: 'linux.listening-service',
          resourceId: `${host}/${socket.protocol}/${socket.address}:${socket.port}`,
          attributes: { ...socket },
        })),
        {
          resourceType: 'linux.disk-encryption',
          resourceId: `${host}/disk-encryption`,
          attributes: {
            rootFilesystemEncrypted: disks.rootFilesystemEncrypted,
            blockMounts: mounts.size,
            encryptedMounts: [...mounts.values()].filter((mount) => mount.encrypted === true).length,
            crypttabEntries: disks.crypttabEntries,
          },
        },
        ...[...mounts.values()].map((mount) => ({
          resourceType: 'linux.mount-encryption',
          resourceId: `${host}/mount${mount.mountPoint}`,
          attributes: { ...mount },
        })),
      ];
      return {
        facts,
        snapshots: [
          jsonFactsSnapshot(collector, {
            title: `Linux host baseline of ${subject}`,
            subject,
            facts,
            now: ctx.now,
          }),
        ],
      };
    },
  };
  return collector;
}

export const linuxHostBaselineCollector = linuxHostBaselineCollectorWith({
  procRoot: '/proc',
  sysRoot: '/sys',
});
