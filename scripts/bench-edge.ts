// `npm run bench:edge`: Canopy Edge's two hot paths, each against its floor in the same run.
//  1. token grants/s at the edge's /oauth2/token (answered offline from its configuration) from 32
//     concurrent clients, against the bare Node ES256 signer of bench:token (target ≥ 0.8×): jose's
//     SignJWT, as the target was set; node:crypto's synchronous signer (what the edge now signs
//     with) is printed as a third row, the lower floor;
//  2. pull throughput of a 50 MB image (manifest and blobs over HTTP, streamed and counted) through
//     the edge's /v2 (the manifest proxied, the blobs read from the registry's storage by the edge's
//     blob fast path), against the edge's own docker-registry on its private port with the
//     same bearer token (target ≥ 0.9×); a bare Node proxy (stream.pipeline, nothing else) in
//     front of the same registry is the third row: the floor of any Node hop on this machine. Each
//     pull row also says the CPU time per MB of its serving processes (the edge and its registry,
//     the bare proxy and the registry, the registry alone) and of this client; the edge row says
//     how many blobs its fast path served (from /healthz): all of them, when it works.
// Each comparison runs in alternating rounds, so that the load of a shared machine hits every side.
// It starts Canopy (a production build, as bench:token does), makes a connected registry through
// the REST API, and runs the built edge (`npm run build:edge`) with the connection string Canopy
// answered, in a 0600 file. It prints figures; it asserts nothing.
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@/lib/free-port';
import { connectionStringFile, startEdge } from '@/test/edge-process';
import { drive, grantsRow, type Figures } from './bench/drive';
import { recordFigure } from './bench/results';
import { apiClient, startCanopy, waitFor } from './bench/server';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20000);
const CONNECTIONS = 32;
const IMAGE_MB = Number(process.env.BENCH_IMAGE_MB ?? 50);
const ROUNDS = Number(process.env.BENCH_PULL_ROUNDS ?? 6);
const GRANT_ROUNDS = 4;
const REPOSITORY = 'apps/web';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const agent = new http.Agent({ keepAlive: true });

/** One request; the body is streamed and counted, never kept (but for small answers). */
function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: { ...opts.headers, ...(opts.body ? { 'content-length': String(opts.body.length) } : {}) },
        agent,
      },
      (res) => {
        let bytes = 0;
        const small: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes <= 1 << 20) small.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text: Buffer.concat(small).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function pushBlob(base: string, auth: Record<string, string>, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const started = await request(`${base}/v2/${REPOSITORY}/blobs/uploads/`, { method: 'POST', headers: auth });
  if (started.status !== 202) throw new Error(`upload start answered ${started.status}: ${started.text}`);
  const location = new URL(String(started.headers.location), base);
  location.searchParams.set('digest', digest);
  const put = await request(location.toString(), {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/octet-stream' },
    body: blob,
  });
  if (put.status !== 201) throw new Error(`upload answered ${put.status}: ${put.text}`);
  return digest;
}

/** Pushes an image of random layers (IMAGE_MB in all) through `base`; returns the manifest reference. */
async function pushImage(base: string, auth: Record<string, string>) {
  const layerSizes = [Math.ceil((IMAGE_MB * 0.6) << 20), Math.floor((IMAGE_MB * 0.4) << 20)];
  const layers = [];
  for (const size of layerSizes) {
    const blob = randomBytes(size);
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: await pushBlob(base, auth, blob), size });
  }
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }),
  );
  const configDigest = await pushBlob(base, auth, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers,
    }),
  );
  const put = await request(`${base}/v2/${REPOSITORY}/manifests/bench`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (put.status !== 201) throw new Error(`manifest answered ${put.status}: ${put.text}`);
}

/** A whole pull: the manifest, then every blob; returns the bytes and seconds it took. */
async function pull(base: string, auth: Record<string, string>): Promise<{ bytes: number; seconds: number }> {
  const started = performance.now();
  const m = await request(`${base}/v2/${REPOSITORY}/manifests/bench`, {
    headers: { ...auth, accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (m.status !== 200) throw new Error(`manifest pull answered ${m.status}: ${m.text}`);
  const manifest = JSON.parse(m.text) as { config: { digest: string }; layers: { digest: string; size: number }[] };
  let bytes = m.bytes;
  for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const blob = await request(`${base}/v2/${REPOSITORY}/blobs/${d}`, { headers: auth });
    if (blob.status !== 200) throw new Error(`blob ${d} answered ${blob.status}`);
    bytes += blob.bytes;
  }
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

/** CPU milliseconds (user and system) the processes have used so far. */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* not Linux, or gone */
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** The first child process of `pid` (the edge's docker-registry), or 0 where /proc cannot tell. */
function childPid(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || 0;
  } catch {
    return 0;
  }
}

/** Rounds of the same size as one run: requests over the summed time, the worst p50/p99. */
function combine(rounds: Figures[], requestsPerRound: number): Figures {
  const seconds = rounds.reduce((sum, f) => sum + requestsPerRound / f.rps, 0);
  return {
    rps: (requestsPerRound * rounds.length) / seconds,
    p50: Math.max(...rounds.map((f) => f.p50)),
    p99: Math.max(...rounds.map((f) => f.p99)),
    non2xx: rounds.reduce((sum, f) => sum + f.non2xx, 0),
    errors: rounds.reduce((sum, f) => sum + f.errors, 0),
  };
}

async function main() {
  const canopy = await startCanopy(await freePort());
  const work = mkdtempSync(join(tmpdir(), 'canopy-bench-edge-'));
  let edge: ReturnType<typeof startEdge> | null = null;
  const floors: ChildProcess[] = []; // the bare signer and the bare proxy, stopped in the end whatever happens
  try {
    const api = await apiClient(canopy.url);
    const run = Date.now().toString(36);
    const registry = `bench${run}`;
    const edgePort = await freePort();
    const loginServer = `127.0.0.1:${edgePort}`;
    await api('POST', '/api/v1/registries', { name: registry, loginServer: `${registry}.azurecr.io`, region: 'westus2' });
    await api('POST', `/api/v1/registries/${registry}/scope-maps`, {
      name: 'web-rw',
      actions: ['content/read', 'content/write', 'metadata/read'].map((a) => `repositories/${REPOSITORY}/${a}`),
    });
    const token = await api<{ passwords: { value: string }[] }>('POST', `/api/v1/registries/${registry}/tokens`, {
      name: 'bench-client',
      scopeMap: 'web-rw',
    });
    const created = await api<{ connectionString: string }>('POST', `/api/v1/registries/${registry}/connected-registries`, {
      name: `edge${run}`,
      loginServer,
      repositories: [REPOSITORY],
      clientTokens: ['bench-client'],
    });

    // the site's one file, run with the connection string in a 0600 file, as the portal says
    const program = join(work, 'canopy-edge.mjs');
    await promisify(execFile)(process.execPath, ['scripts/build-edge.mjs', '--outfile', program]);
    const dataDir = join(work, 'data');
    edge = startEdge(
      [
        '--connection-string-file',
        connectionStringFile(created.connectionString),
        '--data-dir',
        dataDir,
        '--canopy-url',
        canopy.url,
        '--listen',
        loginServer,
      ],
      { built: program },
    );
    const base = `http://${loginServer}`;
    await waitFor(`${base}/healthz`, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${edge!.output()}`);
    });

    // 1. token grants at the edge against the bare signer
    const basic = { authorization: `Basic ${Buffer.from(`bench-client:${token.passwords[0].value}`).toString('base64')}` };
    const tokenPath = `/oauth2/token?service=${loginServer}&scope=repository:${REPOSITORY}:pull`;
    const check = await fetch(`${base}${tokenPath}`, { headers: basic });
    if (check.status !== 200) throw new Error(`the edge's token endpoint answered ${check.status}: ${await check.text()}`);
    const barePort = await freePort();
    const nodePort = await freePort();
    for (const [port, signer] of [
      [barePort, 'jose'],
      [nodePort, 'node'],
    ] as const) {
      const bare = fork('scripts/bench/bare-jwt-server.mjs', { env: { ...process.env, PORT: String(port), SIGNER: signer } });
      floors.push(bare);
      await new Promise((r) => bare.once('message', r));
    }
    const grants = { edge: [] as Figures[], bare: [] as Figures[], node: [] as Figures[] };
    const perRound = { requests: Math.ceil(REQUESTS / GRANT_ROUNDS), connections: CONNECTIONS };
    for (let i = 0; i < GRANT_ROUNDS; i++) {
      grants.edge.push(await drive(`${base}${tokenPath}`, basic, perRound));
      grants.bare.push(await drive(`http://127.0.0.1:${barePort}/oauth2/token`, basic, perRound));
      grants.node.push(await drive(`http://127.0.0.1:${nodePort}/oauth2/token`, basic, perRound));
    }
    const edgeGrants = combine(grants.edge, perRound.requests);
    const bareGrants = combine(grants.bare, perRound.requests);
    const nodeGrants = combine(grants.node, perRound.requests);

    // 2. pull throughput through the proxy against the registry directly, with the same bearer token
    const granted = await fetch(`${base}/oauth2/token?service=${loginServer}&scope=repository:${REPOSITORY}:pull,push`, { headers: basic });
    const bearer = { authorization: `Bearer ${((await granted.json()) as { token: string }).token}` };
    await pushImage(base, bearer);
    const registryAddr = /addr: "([^"]+)"/.exec(readFileSync(join(dataDir, 'registry', 'config.yml'), 'utf8'))![1];
    const direct = `http://${registryAddr}`;
    await pull(base, bearer); // warm both paths (page cache, connections)
    await pull(direct, bearer);
    const proxyPort = await freePort();
    const proxy = fork('scripts/bench/bare-proxy.mjs', { env: { ...process.env, PORT: String(proxyPort), TARGET: registryAddr } });
    floors.push(proxy);
    await new Promise((r) => proxy.once('message', r));
    const sides = { edge: base, proxy: `http://127.0.0.1:${proxyPort}`, direct } as const;
    type Side = keyof typeof sides;
    const totals: Record<Side, { bytes: number; seconds: number }> = {
      edge: { bytes: 0, seconds: 0 },
      proxy: { bytes: 0, seconds: 0 },
      direct: { bytes: 0, seconds: 0 },
    };
    await pull(sides.proxy, bearer);
    const fastPath = async () =>
      ((await (await fetch(`${base}/healthz`)).json()) as { blobFastPath: { served: number; forwarded: number } }).blobFastPath;
    const fastBefore = await fastPath();
    // CPU time of the serving processes and of this client, per side (Linux /proc; zero elsewhere)
    const registryPid = childPid(edge.process.pid!);
    const servers: Record<Side, number[]> = {
      edge: [edge.process.pid!, registryPid],
      proxy: [proxy.pid!, registryPid],
      direct: [registryPid],
    };
    const cpu: Record<Side, { server: number; client: number }> = {
      edge: { server: 0, client: 0 },
      proxy: { server: 0, client: 0 },
      direct: { server: 0, client: 0 },
    };
    const order: Side[] = ['edge', 'proxy', 'direct'];
    for (let i = 0; i < ROUNDS; i++) {
      for (const side of i % 2 ? [...order].reverse() : order) {
        const server = cpuMs(servers[side]);
        const client = process.cpuUsage();
        const p = await pull(sides[side], bearer);
        const used = process.cpuUsage(client);
        cpu[side].server += cpuMs(servers[side]) - server;
        cpu[side].client += (used.user + used.system) / 1000;
        totals[side].bytes += p.bytes;
        totals[side].seconds += p.seconds;
      }
    }
    const fastAfter = await fastPath();
    const cpuPerMb = (side: Side) => {
      const mb = totals[side].bytes / (1 << 20);
      return `   CPU per MB: server ${(cpu[side].server / mb).toFixed(2)} ms, client ${(cpu[side].client / mb).toFixed(2)} ms`;
    };
    const mbps = (t: { bytes: number; seconds: number }) => t.bytes / (1 << 20) / t.seconds;

    const grantsRatio = edgeGrants.rps / bareGrants.rps;
    const pullRatio = mbps(totals.edge) / mbps(totals.direct);
    console.log(
      `\nGET /oauth2/token, ${REQUESTS} requests each from ${CONNECTIONS} concurrent clients on loopback, in ${GRANT_ROUNDS} alternating rounds\n`,
    );
    console.log(grantsRow('Canopy Edge token service', edgeGrants));
    console.log(grantsRow('bare ES256 signer (jose)', bareGrants));
    console.log(grantsRow('bare ES256 signer (node)', nodeGrants));
    console.log(`\npull of a ${IMAGE_MB} MB image (manifest and blobs), ${ROUNDS} rounds each, alternating\n`);
    console.log(`${'through the edge (/v2)'.padEnd(28)} ${mbps(totals.edge).toFixed(0).padStart(8)} MB/s${cpuPerMb('edge')}`);
    console.log(
      `${''.padEnd(28)} blobs from the edge's storage: ${fastAfter.served - fastBefore.served}, left to the registry: ${fastAfter.forwarded - fastBefore.forwarded}`,
    );
    console.log(`${'bare Node proxy (pipeline)'.padEnd(28)} ${mbps(totals.proxy).toFixed(0).padStart(8)} MB/s${cpuPerMb('proxy')}`);
    console.log(`${'docker-registry directly'.padEnd(28)} ${mbps(totals.direct).toFixed(0).padStart(8)} MB/s${cpuPerMb('direct')}`);
    console.log(
      `\ngrants ratio edge / bare: ${grantsRatio.toFixed(2)} (target ≥ 0.80; ${(edgeGrants.rps / nodeGrants.rps).toFixed(2)} against the node:crypto signer)   pull ratio edge / direct: ${pullRatio.toFixed(2)} (target ≥ 0.90)   edge / bare Node proxy: ${(mbps(totals.edge) / mbps(totals.proxy)).toFixed(2)}`,
    );
    console.log(grantsRatio >= 0.8 && pullRatio >= 0.9 ? 'targets met' : 'TARGETS MISSED');
    recordFigure({
      bench: 'edge',
      name: 'grants/s, edge / bare jose ES256 signer',
      value: grantsRatio,
      unit: '×',
      target: '≥ 0.80',
      met: grantsRatio >= 0.8,
    });
    recordFigure({
      bench: 'edge',
      name: `pull of ${IMAGE_MB} MB, through the edge / registry directly`,
      value: pullRatio,
      unit: '×',
      target: '≥ 0.90',
      met: pullRatio >= 0.9,
    });
    if (edgeGrants.non2xx || edgeGrants.errors) console.log('warning: some token requests failed');
  } finally {
    for (const child of floors) child.kill();
    agent.destroy();
    await edge?.stop();
    await canopy.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
