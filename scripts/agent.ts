// `npm run agent -- --connection-string "<string>"`: a small reference agent for a connected
// registry's on-premises side. It parses the connection string, long-polls its configuration
// from Canopy's gateway with the sync token, prints each change, and reports status every 30 s.
//
//   --connection-string <s>   required (Connected registry → Rotate sync credentials)
//   --canopy-url <url>        where Canopy's gateway is (default CANOPY_URL or http://localhost:3000)
//   --instance <id>           the instance id presented on activation (default: hostname-pid)
//   --status-interval <s>     seconds between status reports (default 30)
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { parseConnectionString } from '@/lib/gateway/connection-string';

const { values } = parseArgs({
  options: {
    'connection-string': { type: 'string' },
    'canopy-url': { type: 'string' },
    instance: { type: 'string' },
    'status-interval': { type: 'string' },
  },
});

function log(message: string) {
  console.log(`${new Date().toISOString()} ${message}`);
}

type Config = {
  name: string;
  registry: string;
  mode: string;
  repositories: string[];
  syncSchedule: string;
  syncWindow: string | null;
  syncMessageTtl: string;
  logLevel: string;
  notifications: string[];
  clientTokens: { name: string; status: string; actions: string[]; passwords: { name: string; creationTime: string; expiry: string | null }[] }[];
};

/** What changed between two configurations, in words. */
export function describeChanges(before: Config | null, after: Config): string[] {
  if (!before) return [`configuration received: ${after.mode}, ${after.repositories.length} repositories, ${after.clientTokens.length} client tokens`];
  const lines: string[] = [];
  for (const key of ['mode', 'syncSchedule', 'syncWindow', 'syncMessageTtl', 'logLevel'] as const) {
    if (before[key] !== after[key]) lines.push(`${key}: ${before[key]} → ${after[key]}`);
  }
  for (const key of ['repositories', 'notifications'] as const) {
    const added = after[key].filter((x) => !before[key].includes(x));
    const removed = before[key].filter((x) => !after[key].includes(x));
    if (added.length) lines.push(`${key} added: ${added.join(', ')}`);
    if (removed.length) lines.push(`${key} removed: ${removed.join(', ')}`);
  }
  const old = new Map(before.clientTokens.map((t) => [t.name, t]));
  for (const t of after.clientTokens) {
    const o = old.get(t.name);
    if (!o) lines.push(`client token ${t.name} accepted (${t.status})`);
    else {
      if (o.status !== t.status) lines.push(`client token ${t.name}: ${o.status} → ${t.status}`);
      if (JSON.stringify(o.actions) !== JSON.stringify(t.actions)) lines.push(`client token ${t.name}: its scope map changed (${t.actions.length} actions)`);
      if (JSON.stringify(o.passwords) !== JSON.stringify(t.passwords)) lines.push(`client token ${t.name}: passwords changed (${t.passwords.map((p) => p.name).join(', ') || 'none'})`);
    }
    old.delete(t.name);
  }
  for (const name of old.keys()) lines.push(`client token ${name} no longer accepted`);
  return lines.length ? lines : ['configuration changed'];
}

async function main() {
  if (!values['connection-string']) {
    console.error('usage: npm run agent -- --connection-string "<connection string>" [--canopy-url http://localhost:3000]');
    process.exit(2);
  }
  const settings = parseConnectionString(values['connection-string']);
  const base = (values['canopy-url'] ?? process.env.CANOPY_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const instance = values.instance ?? `${hostname()}-${process.pid}`;
  const statusEvery = Number(values['status-interval'] ?? 30) * 1000;
  const authorization = `Basic ${Buffer.from(`${settings.syncTokenName}:${settings.syncTokenPassword}`).toString('base64')}`;
  log(`agent for ${settings.connectedRegistryName} (instance ${instance}); parent ${settings.parentEndpointProtocol}://${settings.parentGatewayEndpoint}; gateway ${base}`);

  let registry: string | undefined;
  while (!registry) {
    const url = `${base}/gateway/v1/whoami?${new URLSearchParams({ parentEndpoint: settings.parentGatewayEndpoint, name: settings.connectedRegistryName })}`;
    const res: Response | Error = await fetch(url, { headers: { authorization } }).catch((e: Error) => e);
    if (!(res instanceof Error) && res.ok) registry = ((await res.json()) as { registry: string }).registry;
    else {
      log(res instanceof Error ? `gateway unreachable (${res.message}); retrying in 10 s` : `refused (${res.status}): ${await res.text()}; retrying in 10 s`);
      await new Promise((r) => setTimeout(r, 10_000));
    }
  }
  const path = `${base}/gateway/v1/registries/${encodeURIComponent(registry)}/connected-registries/${encodeURIComponent(settings.connectedRegistryName)}`;

  const report = async () => {
    const res = await fetch(`${path}/status`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'x-connected-registry-instance': instance },
      body: JSON.stringify({ connectionState: 'Online', version: 'canopy-agent/1.0', lastSyncTime: new Date().toISOString() }),
    }).catch(() => null);
    if (!res) log('status report failed: gateway unreachable');
    else if (res.status !== 204) log(`status report refused (${res.status}): ${await res.text()}`);
    else log('status reported: Online');
  };

  let etag: string | null = null;
  let config: Config | null = null;
  let reported = false;
  setInterval(() => void report(), statusEvery).unref();
  for (;;) {
    const headers: Record<string, string> = { authorization, 'x-connected-registry-instance': instance };
    if (etag) headers['if-none-match'] = etag;
    const res: Response | Error = await fetch(`${path}/config${etag ? '?wait=55' : ''}`, { headers }).catch((e: Error) => e);
    if (res instanceof Error) {
      log(`gateway unreachable (${res.message}); retrying in 5 s`);
      await new Promise((r) => setTimeout(r, 5000));
      continue;
    }
    if (res.status === 304) continue;
    if (res.status === 200) {
      const next = (await res.json()) as Config;
      for (const line of describeChanges(config, next)) log(line);
      config = next;
      etag = res.headers.get('etag');
      if (!reported) {
        reported = true;
        await report();
      }
      continue;
    }
    log(`refused (${res.status}): ${await res.text()}; retrying in 10 s`);
    etag = null;
    await new Promise((r) => setTimeout(r, 10_000));
  }
}

if (process.argv[1]?.endsWith('agent.ts')) {
  main().catch((error) => {
    console.error(`agent: ${(error as Error).message}`);
    process.exit(1);
  });
}
