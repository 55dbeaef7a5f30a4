// `npm run bench:sync [-- --images 20 --mb 200 --concurrency 4 --rounds 2 --quick]`: the same set of images
// (random layers, one base layer shared by all) synced from a "cloud" docker-registry into an
// empty edge registry by Canopy Edge's sync engine, and copied with `skopeo sync` between the
// same cloud and another empty registry: wall time and MB/s of each (the mean of `--rounds`
// copies each, taken in turns), the ratio (edge / skopeo, in time), and a second, no-change run
// of the edge. All three registries are Debian's
// docker-registry with token auth (keys made here), on loopback. It prints figures and asserts
// nothing; targets: ratio ≤ 1.0, no-change run < 2 s. With each copy's time it prints the CPU
// time of each process taking part (the copying tool, the source registry, the destination
// registry): on a shared machine that says whose work a difference in wall time is.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { SyncRun } from '@/edge/sync/engine';
import { MemoryStateStore } from '@/edge/sync/state';
import { OciLayout } from '@/edge/sync/test-images';
import { edgeLikeRegistry } from '@/edge/sync/test-registries';
import { recordFigure } from './bench/results';

const { values } = parseArgs({
  options: {
    images: { type: 'string' },
    mb: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '2' },
    quick: { type: 'boolean', default: false },
  },
});
const images = Number(values.images ?? (values.quick ? 6 : 20));
const totalMb = Number(values.mb ?? (values.quick ? 40 : 200));
const concurrency = Number(values.concurrency);
const rounds = Math.max(1, Number(values.rounds));
const MiB = 1 << 20;
const REPO = 'bench/app';
const run = promisify(execFile);

async function skopeo(args: string[]) {
  await run('skopeo', ['--insecure-policy', ...args], { maxBuffer: 64 * MiB, timeout: 30 * 60_000 });
}

/** CPU seconds (user + system) a process has used so far, from /proc (0 when it is gone). */
function cpuOf(pid: number | null): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/** skopeo under /usr/bin/time: its CPU seconds. */
async function skopeoTimed(args: string[]): Promise<number> {
  const { stderr } = await run('/usr/bin/time', ['-f', 'cpu %U %S', 'skopeo', '--insecure-policy', ...args], {
    maxBuffer: 64 * MiB,
    timeout: 30 * 60_000,
  });
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  return m ? Number(m[1]) + Number(m[2]) : NaN;
}

type Cpu = { tool: number; source: number; destination: number };

async function main() {
  const cleanup: (() => Promise<void>)[] = [];
  const folders: string[] = [];
  try {
    const cloud = await edgeLikeRegistry('bench-cloud');
    cleanup.push(() => cloud.registry.stop());
    folders.push(cloud.registry.dir);
    /** an empty registry for one copy, stopped and removed at the end */
    const emptyRegistry = async (issuer: string) => {
      const r = await edgeLikeRegistry(issuer);
      cleanup.push(() => r.registry.stop());
      folders.push(r.registry.dir);
      return r;
    };

    // a fifth of the bytes in the shared base layer, the rest in one layer per image
    const layout = new OciLayout(mkdtempSync(join(tmpdir(), 'canopy-bench-sync-')));
    folders.push(layout.dir);
    const base = await layout.randomLayer(Math.round((totalMb * MiB) / 5));
    const own = Math.round((totalMb * MiB * 4) / 5 / images);
    process.stdout.write(
      `bench:sync — ${images} images, ${totalMb} MB (a ${(base.size / MiB).toFixed(0)} MB base layer shared, ${(own / MiB).toFixed(1)} MB each of their own), concurrency ${concurrency}, ${rounds} rounds\n`,
    );
    const pushToken = await cloud.token([`repository:${REPO}:pull,push`]);
    for (let i = 0; i < images; i++) {
      const ref = layout.ref(`img-${i}`, layout.image([base, await layout.randomLayer(own)], `img-${i}`));
      await skopeo([
        'copy',
        '--dest-tls-verify=false',
        '--dest-registry-token',
        pushToken,
        ref,
        `docker://${cloud.registry.host}/${REPO}:img-${i}`,
      ]);
    }
    const bytes = base.size + own * images;

    // dirty pages of the pushes (and of the other tool's copy) are written out before each timing
    const settle = () => run('sync');
    const parent = cloud.client();
    const edgeCopy = async (store: MemoryStateStore, edge: Awaited<ReturnType<typeof edgeLikeRegistry>>) => {
      const local = Object.assign(edge.client(), { pid: edge.registry.pid() });
      await settle();
      const before = { tool: process.cpuUsage(), source: cpuOf(cloud.registry.pid()), destination: cpuOf(local.pid) };
      const started = performance.now();
      const outcome = await new SyncRun(
        parent,
        local,
        store,
        { mode: 'ReadOnly', repositories: [REPO], concurrency },
        new AbortController().signal,
      ).run();
      local.close();
      if (outcome.status !== 'Succeeded') throw new Error(`the edge's run ${outcome.status}: ${outcome.error}`);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(before.tool);
      const cpu: Cpu = {
        tool: (used.user + used.system) / 1e6,
        source: cpuOf(cloud.registry.pid()) - before.source,
        destination: cpuOf(local.pid) - before.destination,
      };
      return { seconds, outcome, cpu };
    };
    const skopeoCopy = async () => {
      const mirror = await emptyRegistry('bench-skopeo');
      const args = ['sync', '--src', 'docker', '--dest', 'docker', '--src-tls-verify=false', '--dest-tls-verify=false'];
      args.push(
        '--src-registry-token',
        await cloud.token([`repository:${REPO}:pull`]),
        '--dest-registry-token',
        await mirror.token(['repository:mirror/app:pull,push']),
      );
      await settle();
      const before = { source: cpuOf(cloud.registry.pid()), destination: cpuOf(mirror.registry.pid()) };
      const started = performance.now();
      const tool = await skopeoTimed([...args, `${cloud.registry.host}/${REPO}`, `${mirror.registry.host}/mirror`]);
      const seconds = (performance.now() - started) / 1000;
      const cpu: Cpu = {
        tool,
        source: cpuOf(cloud.registry.pid()) - before.source,
        destination: cpuOf(mirror.registry.pid()) - before.destination,
      };
      return { seconds, cpu };
    };

    // each tool into its own empty registry, in turns (edge, skopeo, skopeo, edge, …): the
    // machine's other load and the disk's writeback weigh on both alike
    const edgeTimes: number[] = [];
    const skopeoTimes: number[] = [];
    const edgeCpu: Cpu[] = [];
    const skopeoCpu: Cpu[] = [];
    let first!: Awaited<ReturnType<typeof edgeCopy>>;
    let second!: Awaited<ReturnType<typeof edgeCopy>>;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['edge', 'skopeo'] : ['skopeo', 'edge'];
      for (const tool of order) {
        if (tool === 'skopeo') {
          const copy = await skopeoCopy();
          skopeoTimes.push(copy.seconds);
          skopeoCpu.push(copy.cpu);
        } else {
          const edge = await emptyRegistry('bench-edge');
          const store = new MemoryStateStore();
          first = await edgeCopy(store, edge);
          edgeTimes.push(first.seconds);
          edgeCpu.push(first.cpu);
          second = await edgeCopy(store, edge);
        }
      }
    }
    parent.close();
    const copied = first.outcome.repositories[0].down;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const edgeSeconds = mean(edgeTimes);
    const skopeoSeconds = mean(skopeoTimes);

    const mb = bytes / MiB;
    const ratio = edgeSeconds / skopeoSeconds;
    const each = (xs: number[]) => `each: ${xs.map((x) => x.toFixed(2)).join(', ')} s`;
    const cpu = (xs: Cpu[]) =>
      `CPU s: tool ${mean(xs.map((c) => c.tool)).toFixed(2)}, source registry ${mean(xs.map((c) => c.source)).toFixed(2)}, destination registry ${mean(xs.map((c) => c.destination)).toFixed(2)}`;
    const rows = [
      [
        'edge sync (empty edge)',
        `${edgeSeconds.toFixed(2)} s`,
        `${(mb / edgeSeconds).toFixed(1)} MB/s`,
        `${copied.tags} tags, ${copied.blobs} blobs, ${(copied.bytes / MiB).toFixed(1)} MB; ${each(edgeTimes)}; ${cpu(edgeCpu)}`,
      ],
      [
        'skopeo sync (empty registry)',
        `${skopeoSeconds.toFixed(2)} s`,
        `${(mb / skopeoSeconds).toFixed(1)} MB/s`,
        `${each(skopeoTimes)}; ${cpu(skopeoCpu)}`,
      ],
      ['ratio edge / skopeo (time)', ratio.toFixed(2), '', `target ≤ 1.0: ${ratio <= 1 ? 'met' : 'missed'}`],
      ['edge sync, nothing changed', `${second.seconds.toFixed(2)} s`, '', `target < 2 s: ${second.seconds < 2 ? 'met' : 'missed'}`],
    ];
    for (const r of rows) process.stdout.write(`${r[0].padEnd(30)} ${r[1].padStart(9)}  ${r[2].padStart(11)}  ${r[3]}\n`);
    recordFigure({
      bench: 'sync',
      name: 'edge sync time / skopeo sync time',
      value: Number(ratio.toFixed(2)),
      unit: '×',
      target: '≤ 1.0',
      met: ratio <= 1,
    });
    recordFigure({
      bench: 'sync',
      name: 'edge sync, no-change run',
      value: Number(second.seconds.toFixed(2)),
      unit: 's',
      target: '< 2 s',
      met: second.seconds < 2,
    });
    recordFigure({
      bench: 'sync',
      name: 'edge sync throughput',
      value: Number((mb / edgeSeconds).toFixed(1)),
      unit: 'MB/s',
      target: '—',
      met: true,
    });
  } finally {
    for (const c of cleanup) await c().catch(() => {});
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench:sync failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
