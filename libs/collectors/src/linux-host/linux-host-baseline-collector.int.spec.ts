import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { linuxHostBaselineCollector } from './linux-host-baseline-collector';

/** The machine the tests run on: the collector must find what the test itself opens, and agree with the kernel. */
describe('linux-host-baseline on this machine', () => {
  const servers: net.Server[] = [];
  const listen = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      servers.push(server);
      server.once('error', reject);
      server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
    });
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  it('finds the listener the test opened, as this process', async () => {
    const port = await listen('127.0.0.1');
    const result = await linuxHostBaselineCollector.collect({}, { now: new Date(), allowedPaths: [] });
    const found = result.facts.filter(
      (fact) => fact.resourceType === 'linux.listening-service' && fact.attributes['port'] === port,
    );
    expect(found.map((fact) => fact.attributes)).toEqual([
      {
        protocol: 'tcp',
        address: '127.0.0.1',
        port,
        exposure: 'loopback',
        uid: process.getuid?.(),
        pid: process.pid,
        processName: readFileSync('/proc/self/comm', 'utf8').trim(),
      },
    ]);
  });

  it('reports an IPv6 wildcard listener as exposed on all interfaces', async () => {
    const port = await listen('::');
    const result = await linuxHostBaselineCollector.collect({}, { now: new Date(), allowedPaths: [] });
    const found = result.facts.find(
      (fact) => fact.resourceType === 'linux.listening-service' && fact.attributes['port'] === port,
    );
    expect(found?.attributes).toMatchObject({
      protocol: 'tcp6',
      address: '::',
      exposure: 'all-interfaces',
      pid: process.pid,
    });
  });

  it("reads this host's own configuration and mounts", async () => {
    const result = await linuxHostBaselineCollector.collect({}, { now: new Date(), allowedPaths: [] });
    const sshd = result.facts.find((fact) => fact.resourceType === 'linux.sshd');
    expect(sshd?.attributes['configPresent']).toBe(existsSync('/etc/ssh/sshd_config'));
    const loginDefs = result.facts.find((fact) => fact.resourceType === 'linux.password-aging');
    expect(loginDefs?.attributes['loginDefsPresent']).toBe(existsSync('/etc/login.defs'));

    // The root filesystem's device as the kernel lists it: a disk visible in /sys gives a yes/no, else 'unknown'.
    const rootMount = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find((fields) => fields[4] === '/');
    const majorMinor = rootMount?.[2] ?? '0:0';
    const expected = majorMinor.startsWith('0:')
      ? 'unknown'
      : existsSync(`/sys/dev/block/${majorMinor}`)
        ? 'boolean'
        : 'unknown';
    const disk = result.facts.find((fact) => fact.resourceType === 'linux.disk-encryption');
    const rootEncrypted = disk?.attributes['rootFilesystemEncrypted'];
    expect(expected === 'boolean' ? typeof rootEncrypted : rootEncrypted).toBe(expected);
  });
});
