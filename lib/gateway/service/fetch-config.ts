// GET …/config: a connected registry fetches its configuration (its first fetch activates it),
// or waits for a change in a long poll.
import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import { transaction } from '@/lib/db/client';
import { authorize, instanceOf, isOwnSyncToken, otherInstance } from '../caller';
import { createConfigPolls } from '../config-polls';
import type { GatewayHeaders } from '../http';
import { buildConfigs } from '../config-batch';
import { currentConfig, type GatewayConfig } from '../queries';
import { readAheadForPolls } from '../reask';

/**
 * Activation: the first successful fetch of an Inactive registry makes it Active and binds the
 * instance id it presented; while Active, another instance id is refused until an admin
 * deactivates the registry — two deployments cannot share one identity. The switch is one
 * conditional UPDATE: of two simultaneous first fetches exactly one wins (the other waits for
 * the row lock, then finds the registry Active and bound to the winner).
 */
async function activate(
  cloud: { id: string; name: string },
  registry: { id: string; name: string; activationStatus: string; instanceId: string | null },
  instanceId: string,
) {
  if (registry.activationStatus === 'Active') {
    if (registry.instanceId === instanceId) return; // the common case costs no write
    if (registry.instanceId) throw otherInstance(registry.name, registry.instanceId);
  }
  await transaction(async (tx) => {
    const won = await tx.connectedRegistry.updateMany({
      where: { id: registry.id, activationStatus: 'Inactive' },
      data: { activationStatus: 'Active', instanceId, lastActivityTime: new Date(), activatedAt: new Date() },
    });
    if (won.count === 1) {
      await recordAudit(tx, 'system', {
        action: 'connectedRegistry.activate',
        targetType: 'connectedRegistry',
        targetName: registry.name,
        registry: cloud.name,
        details: { instanceId },
        // its activation is in its own row alone: no other registry's configuration is rebuilt
        onlyConnectedRegistries: [registry.name],
      });
      return;
    }
    // Active without a bound instance (activated before instance ids were required): bind this one
    const bound = await tx.connectedRegistry.updateMany({
      where: { id: registry.id, activationStatus: 'Active', instanceId: null },
      data: { instanceId },
    });
    if (bound.count === 1) return;
    const current = await tx.connectedRegistry.findUniqueOrThrow({ where: { id: registry.id }, select: { instanceId: true } });
    if (current.instanceId !== instanceId) throw otherInstance(registry.name, current.instanceId);
  });
}

export type ConfigResult = { status: 200; etag: string; config: GatewayConfig } | { status: 304; etag: string };

/** GET …/config: the configuration, or (with If-None-Match and ?wait) a long poll for a change. */
export async function fetchConfig(
  headers: GatewayHeaders,
  registryName: string,
  name: string,
  opts: { wait: number; ifNoneMatch: string | null; signal?: AbortSignal },
): Promise<ConfigResult> {
  // The signal ends a long poll (304: nothing changed while it waited); a plain fetch caught by a
  // shutdown is a request in flight like any other, and gets its configuration.
  const polling = opts.wait > 0 && opts.ifNoneMatch !== null;
  const gone = (): ConfigResult => ({ status: 304, etag: opts.ifNoneMatch ?? '""' });
  if (polling && opts.signal?.aborted) return gone();
  const { cloud, registry, caller } = await authorize(headers, registryName, name, ['config/read']);
  const instanceId = instanceOf(headers, caller, registry);
  // only the registry itself activates (an ancestor reading its child's config does not)
  if (isOwnSyncToken(caller, registry)) await activate(cloud, registry, instanceId!);

  if (!polling) return { status: 200, ...(await currentConfig(cloud, registry)) };
  if (opts.signal?.aborted) return gone();
  // Registered before reading, so that a change between the read and the wait is not missed.
  const poll = configPolls.hold(cloud, registry, opts.ifNoneMatch!, caller.tokenName);
  try {
    const current = await currentConfig(cloud, registry);
    if (current.etag !== opts.ifNoneMatch) return { status: 200, ...current };
    // a client gone (or a server shutting down) ends the poll without another read
    const woken = await poll.wait(opts.wait * 1000, opts.signal);
    if (!woken || opts.signal?.aborted) return { status: 304, etag: current.etag };
    // the registry is gone: answered as a first read would be
    if (woken === 'recheck') return { status: 200, ...(await currentConfig(cloud, registry)) };
    return { status: 200, ...woken };
  } finally {
    poll.close();
  }
}

/**
 * The long polls held by this instance: one rebuild of the waited-for configurations per change
 * (lib/gateway/config-polls.ts). CANOPY_LOG_CONFIG_REBUILDS=1 logs each rebuild's figures.
 */
export const configPolls = createConfigPolls(buildConfigs, {
  readAhead: readAheadForPolls,
  onRebuild: (s) => {
    if (process.env.CANOPY_LOG_CONFIG_REBUILDS === '1') {
      console.log(
        `gateway: ${s.cloud} changed: ${s.built} configurations built for ${s.polls} polls, ${s.woken} woken, in ${s.ms.toFixed(0)} ms`,
      );
    }
  },
});
