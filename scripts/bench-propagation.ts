// `npm run bench:propagation`: how long an admin change takes to reach a connected registry.
// A long poll on the gateway is open while an admin changes a client token through the REST API
// (alternately disabling/enabling it and regenerating a password); the delay runs from the
// moment the admin's request is sent to the moment the long poll answers. 100 changes; prints
// p50/p99 (target: p99 under 1 s).
import { apiClient, startCanopy } from './bench/server';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 100);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const canopy = await startCanopy(3493);
  try {
    const api = await apiClient(canopy.url);
    const run = Date.now().toString(36);
    const cloud = `prop${run}`;
    await api('POST', '/api/v1/registries', { name: cloud, loginServer: `${cloud}.azurecr.io`, region: 'westus2' });
    await api('POST', `/api/v1/registries/${cloud}/scope-maps`, { name: 'web-pull', actions: ['repositories/apps/web/content/read'] });
    await api('POST', `/api/v1/registries/${cloud}/tokens`, { name: 'kiosk', scopeMap: 'web-pull' });
    await api('POST', `/api/v1/registries/${cloud}/connected-registries`, {
      name: 'store01',
      mode: 'ReadOnly',
      loginServer: `store01-${run}.local`,
      repositories: ['apps/web'],
      clientTokens: ['kiosk'],
    });
    const { connectionString } = await api<{ connectionString: string }>('POST', `/api/v1/registries/${cloud}/connected-registries/store01/settings`, {
      generatePassword: 'password1',
    });
    const password = /SyncTokenPassword=([^;]+)/.exec(connectionString)![1];
    const auth = `Basic ${Buffer.from(`store01-sync-token:${password}`).toString('base64')}`;
    const configUrl = `${canopy.url}/gateway/v1/registries/${cloud}/connected-registries/store01/config`;

    const instance = 'bench-propagation';
    let etag = (await fetch(configUrl, { headers: { authorization: auth, 'x-connected-registry-instance': instance } })).headers.get('etag')!;
    const delays: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const poll = fetch(`${configUrl}?wait=30`, { headers: { authorization: auth, 'if-none-match': etag, 'x-connected-registry-instance': instance } });
      await new Promise((r) => setTimeout(r, 30)); // let the poll settle into its wait
      const sent = performance.now();
      const change =
        i % 2 === 0
          ? api('PATCH', `/api/v1/registries/${cloud}/tokens/kiosk`, { status: i % 4 === 0 ? 'disabled' : 'enabled' })
          : api('POST', `/api/v1/registries/${cloud}/tokens/kiosk/credentials`, { name: 'password2' });
      const res = await poll;
      const received = performance.now();
      await change;
      if (res.status !== 200) throw new Error(`change ${i}: the long poll answered ${res.status}`);
      etag = res.headers.get('etag')!;
      await res.arrayBuffer();
      delays.push(received - sent);
    }
    delays.sort((a, b) => a - b);
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);
    console.log(`\nadmin change → long-poll response, ${CHANGES} changes (token status and password regeneration)\n`);
    console.log(`p50 ${p50.toFixed(1)} ms   p99 ${p99.toFixed(1)} ms   max ${delays[delays.length - 1].toFixed(1)} ms   min ${delays[0].toFixed(1)} ms`);
    console.log(p99 < 1000 ? 'target met (p99 < 1 s)' : 'TARGET MISSED (p99 ≥ 1 s)');
  } finally {
    await canopy.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
