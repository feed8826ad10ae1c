import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { identityProviderSettings, passwordToken } from '@attest/service-kit/testing';
import { numberOption } from './bench-args';
import { newReport, writeReport } from './bench-report';
import { deleteGroups } from './raw-kafka';

/**
 * Evidence upload throughput, next to plain file copies on the same disk, and the service's memory while it
 * streams a large file. The evidence service runs as deployed (its main, in a child process) on a fresh database
 * with the filesystem content store; each upload is one multipart request (metadata, then the file streamed from
 * disk) answered 201 once the bytes are hashed and stored and the item's event is appended.
 * Run: npm run bench:evidence-upload [-- --count 50 --large-mib 200 --repeat 3]
 * Figures go to stdout and to docs/benchmarks/evidence-upload.json.
 */

const ROOT = path.resolve(__dirname, '../../..');
const MIB = 1024 * 1024;
const UPLOADER = 'manager@acme.example';
/** How often the service's RSS is read during the large upload. */
const RSS_SAMPLE_MS = 20;

interface BenchFile {
  path: string;
  name: string;
  sizeBytes: number;
}

/** A CSV file of `bytes` (a little more), different from every other (identical bytes are stored once). */
async function writeCsv(file: string, bytes: number): Promise<BenchFile> {
  const out = createWriteStream(file);
  const line = (i: number) => `${i},${randomBytes(24).toString('hex')},evidence-bench\n`;
  let chunk = '';
  let written = 0;
  for (let i = 0; written + chunk.length < bytes; i++) {
    chunk += line(i);
    if (chunk.length >= 256 * 1024) {
      written += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { path: file, name: path.basename(file), sizeBytes: (await stat(file)).size };
}

/** A free loopback port for the service. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

interface Service {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** The evidence service's main in a child process, ready when /health/ready answers 200. */
async function startService(db: TestDatabase, storeDir: string, groupId: string): Promise<Service> {
  const port = await freePort();
  const identity = identityProviderSettings();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/evidence/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: 'tsconfig.base.json',
      ATTEST_HTTP_PORT: String(port),
      // Tokens of the local identity provider, as the demo users get them.
      ATTEST_OIDC_ISSUER: identity.issuer,
      ATTEST_OIDC_AUDIENCE: identity.audience,
      ATTEST_OIDC_JWKS_URI: identity.jwksUri,
      ATTEST_EVIDENCE_DATABASE: db.name,
      ATTEST_EVIDENCE_STORE: 'filesystem',
      ATTEST_EVIDENCE_DIR: storeDir,
      // Its own consumer group (deleted afterwards), and no relay: nothing of the benchmark reaches the topics.
      ATTEST_EVIDENCE_CONSUMER_GROUP: groupId,
      ATTEST_EVIDENCE_RELAY: 'false',
      ATTEST_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the evidence service exited with ${code}: ${stderr}`))),
  );
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ready = await Promise.race([
      fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (ready) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the evidence service was not ready within 120 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  exited.catch(() => undefined);
  return { pid: child.pid ?? 0, port, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** One upload as a client sends it: the multipart body streamed from disk; answers the time to the 201 (ms). */
async function upload(service: Service, token: string, file: BenchFile): Promise<number> {
  const boundary = `bench-${randomUUID()}`;
  const metadata = {
    title: `Bench upload ${file.name}`,
    evidenceType: 'log-export',
    controlIds: [],
    period: { from: '2026-01-01', to: '2026-03-31' },
  };
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n` +
      `${JSON.stringify(metadata)}\r\n--${boundary}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const started = performance.now();
  const request = http.request({
    host: '127.0.0.1',
    port: service.port,
    path: '/v1/evidence-items',
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + file.sizeBytes + tail.length,
    },
  });
  const response = once(request, 'response') as Promise<[http.IncomingMessage]>;
  request.write(head);
  for await (const chunk of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
    if (!request.write(chunk)) await once(request, 'drain');
  }
  request.end(tail);
  const [res] = await response;
  let body = '';
  for await (const chunk of res) body += chunk;
  const ms = performance.now() - started;
  if (res.statusCode !== 201) throw new Error(`upload of ${file.name} answered ${res.statusCode}: ${body}`);
  return ms;
}

/** What the service must do at least: read the file, hash it, write it. */
async function hashingCopy(from: string, to: string): Promise<void> {
  const hash = createHash('sha256');
  await pipeline(
    createReadStream(from, { highWaterMark: 256 * 1024 }),
    async function* (source) {
      for await (const chunk of source) {
        hash.update(chunk as Buffer);
        yield chunk;
      }
    },
    createWriteStream(to),
  );
  hash.digest('hex');
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Resident set size of a process (KiB → MiB), from /proc. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

const mibPerSecond = (bytes: number, ms: number) => bytes / MIB / (ms / 1000);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function filesystemType(dir: string): string {
  try {
    return execFileSync('findmnt', ['-no', 'FSTYPE', '-T', dir]).toString().trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const count = numberOption(process.argv, 'count', 50);
  const largeMiB = numberOption(process.argv, 'large-mib', 200);
  const repeat = numberOption(process.argv, 'repeat', 3);
  const report = await newReport('evidence-upload', 'bench:evidence-upload');
  // Under the repository's .local, on the disk the service's default content directory lives on.
  const work = path.join(ROOT, '.local', `bench-evidence-upload-${process.pid}`);
  const sources = path.join(work, 'sources');
  const copies = path.join(work, 'copies');
  const storeDir = path.join(work, 'store');
  await Promise.all([sources, copies, storeDir].map((dir) => mkdir(dir, { recursive: true })));
  const groupId = `attest.bench.evidence-upload.${randomUUID()}`;
  const db = await createTestDatabase('attest_bench_evidence');
  let service: Service | undefined;
  try {
    const tiny: BenchFile[] = [];
    for (let i = 0; i < count; i++) tiny.push(await writeCsv(path.join(sources, `tiny-${i}.csv`), 1024));
    const small: BenchFile[] = [];
    for (let i = 0; i < count + 1; i++) small.push(await writeCsv(path.join(sources, `small-${i}.csv`), MIB));
    const large: BenchFile[] = [];
    for (let i = 0; i < repeat; i++)
      large.push(await writeCsv(path.join(sources, `large-${i}.csv`), largeMiB * MIB));
    report.notes.push(
      `Files: ${count} CSV files of 1 KiB, ${count} of 1 MiB and ${repeat} of ${largeMiB} MiB, each different (identical bytes would be ` +
        `stored once), on ${filesystemType(work)}; sources, copies and the content store in one directory under .local/.`,
      'Uploads are sequential, one request at a time, over loopback, as the demo compliance manager (a Keycloak ' +
        'token); time = first byte sent → 201 received (stream, hash, store, append the event, read model caught up).',
      'fs.copyFile may use copy_file_range in the kernel (no bytes through the process); the streamed SHA-256 copy ' +
        'is the least work an upload path has to do (read, hash, write), as a second reference.',
      'The source files were just written, so they are read from the page cache on every side alike.',
      'No side fsyncs the file it writes (the filesystem content store does not either); the upload also makes a ' +
        'durable commit of its event (PostgreSQL fsync and synchronous_commit on).',
    );

    const running = await startService(db, storeDir, groupId);
    service = running;
    let token = await passwordToken(UPLOADER);
    // Warm-up: the first request compiles routes, opens pool connections and JIT-compiles the upload path.
    await upload(running, token, small[count]);

    // What an upload costs whatever its size: 1 KiB files.
    const tinyUpload = await timed(async () => {
      for (const file of tiny) await upload(running, token, file);
    });
    const smallUpload = await timed(async () => {
      for (const file of small.slice(0, count)) await upload(running, token, file);
    });
    const smallCopy = await timed(async () => {
      for (const file of small.slice(0, count)) await copyFile(file.path, path.join(copies, file.name));
    });
    const smallHashing = await timed(async () => {
      for (const file of small.slice(0, count))
        await hashingCopy(file.path, path.join(copies, `h-${file.name}`));
    });
    const smallBytes = small.slice(0, count).reduce((sum, file) => sum + file.sizeBytes, 0);

    const largeRuns: { upload: number; copy: number; hashing: number; baseline: number; peak: number }[] = [];
    for (const file of large) {
      token = await passwordToken(UPLOADER);
      const baseline = rssMiB(running.pid);
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMiB(running.pid));
      }, RSS_SAMPLE_MS);
      let uploadMs: number;
      try {
        uploadMs = await upload(running, token, file);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, rssMiB(running.pid));
      const copyMs = await timed(() => copyFile(file.path, path.join(copies, file.name)));
      const hashingMs = await timed(() => hashingCopy(file.path, path.join(copies, `h-${file.name}`)));
      largeRuns.push({ upload: uploadMs, copy: copyMs, hashing: hashingMs, baseline, peak });
      // The copies are not needed any more; keep the disk from filling on a small machine.
      await rm(path.join(copies, file.name), { force: true });
      await rm(path.join(copies, `h-${file.name}`), { force: true });
    }
    const largeBytes = large[0].sizeBytes;
    const largeMedian = (key: 'upload' | 'copy' | 'hashing') =>
      mibPerSecond(largeBytes, median(largeRuns.map((r) => r[key])));

    const rows: [string, number, number, number][] = [
      [
        `1 MiB × ${count}`,
        mibPerSecond(smallBytes, smallUpload),
        mibPerSecond(smallBytes, smallCopy),
        mibPerSecond(smallBytes, smallHashing),
      ],
      [
        `${largeMiB} MiB (median of ${repeat})`,
        largeMedian('upload'),
        largeMedian('copy'),
        largeMedian('hashing'),
      ],
    ];
    console.log(
      `1 KiB × ${count}: ${(tinyUpload / count).toFixed(1)} ms per upload (what every upload costs, whatever its size)`,
    );
    console.log(
      'files                 | upload (MiB/s) | fs.copyFile (MiB/s) | stream+sha256 (MiB/s) | upload / copyFile',
    );
    for (const [name, up, copy, hashing] of rows) {
      console.log(
        `${name.padEnd(21)} | ${up.toFixed(1).padEnd(14)} | ${copy.toFixed(1).padEnd(19)} | ${hashing.toFixed(1).padEnd(21)} | ${(up / copy).toFixed(2)}`,
      );
    }
    const peak = Math.max(...largeRuns.map((r) => r.peak));
    // Before the first large upload (after the small ones): what the service holds when it is warm and idle.
    const baseline = largeRuns[0].baseline;
    console.log(
      `service RSS during the ${largeMiB} MiB uploads: baseline ${baseline.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB ` +
        `(+${(peak - baseline).toFixed(1)} MiB), sampled every ${RSS_SAMPLE_MS} ms`,
    );

    report.figures[`upload, 1 KiB × ${count}`] = {
      uploadsPerSecond: count / (tinyUpload / 1000),
      meanMs: tinyUpload / count,
    };
    report.figures[`upload, 1 MiB × ${count}`] = {
      mibPerSecond: rows[0][1],
      uploadsPerSecond: count / (smallUpload / 1000),
      meanMs: smallUpload / count,
    };
    report.figures[`fs.copyFile, 1 MiB × ${count}`] = { mibPerSecond: rows[0][2] };
    report.figures[`streamed SHA-256 copy, 1 MiB × ${count}`] = { mibPerSecond: rows[0][3] };
    report.figures[`upload, ${largeMiB} MiB`] = {
      mibPerSecond: rows[1][1],
      runsMs: largeRuns.map((r) => r.upload),
    };
    report.figures[`fs.copyFile, ${largeMiB} MiB`] = {
      mibPerSecond: rows[1][2],
      runsMs: largeRuns.map((r) => r.copy),
    };
    report.figures[`streamed SHA-256 copy, ${largeMiB} MiB`] = {
      mibPerSecond: rows[1][3],
      runsMs: largeRuns.map((r) => r.hashing),
    };
    report.figures[`service RSS during ${largeMiB} MiB uploads`] = {
      baselineMiB: baseline,
      peakMiB: peak,
      growthMiB: peak - baseline,
      perRun: largeRuns.map((r) => ({ baselineMiB: r.baseline, peakMiB: r.peak })),
      sampleEveryMs: RSS_SAMPLE_MS,
    };
    report.ratios[`upload / fs.copyFile, 1 MiB`] = rows[0][1] / rows[0][2];
    report.ratios[`upload / fs.copyFile, ${largeMiB} MiB`] = rows[1][1] / rows[1][2];
    report.ratios[`upload / streamed SHA-256 copy, 1 MiB`] = rows[0][1] / rows[0][3];
    report.ratios[`upload / streamed SHA-256 copy, ${largeMiB} MiB`] = rows[1][1] / rows[1][3];
    console.log(`figures written to ${await writeReport(report)}`);
  } finally {
    await service?.stop();
    await db.drop();
    await deleteGroups([groupId]);
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
