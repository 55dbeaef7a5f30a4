// The domain's rules for registries that need no database: names, endpoints, schedules,
// durations, notification patterns, modes and the actions a sync scope map grants.
import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';

export const CONTINUOUS_SCHEDULE = '* * * * *';
export const DEFAULT_MESSAGE_TTL = 'P2D';
export const MODES = ['ReadWrite', 'ReadOnly'] as const;
export type Mode = (typeof MODES)[number];
export const LOG_LEVELS = ['Debug', 'Information', 'Warning', 'Error', 'None'] as const;
/** ACR's switches for a login server's TLS and the audit log. */
export const FEATURE_STATUSES = ['Enabled', 'Disabled'] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];
/** Garbage collection runs daily at midnight (UTC) unless the admin says otherwise. */
export const DEFAULT_GC_SCHEDULE = '0 0 * * *';

/** How a registry's login server is reached: https while its TLS is enabled, else plain http. */
export function protocolFor(tls: FeatureStatus): 'https' | 'http' {
  return tls === 'Enabled' ? 'https' : 'http';
}

/** 5–50 letters and digits, starting with a letter (connected and cloud registries alike). */
export const REGISTRY_NAME = /^[A-Za-z][A-Za-z0-9]{4,49}$/;
export const REGISTRY_NAME_MESSAGE = 'Use 5–50 letters and digits, starting with a letter.';

// distribution's reference grammar: path components separated by "/"
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY_NAME = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

export function isRepositoryName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && REPOSITORY_NAME.test(name);
}

const HOST_LABEL = '(?!-)[A-Za-z0-9-]{1,63}(?<!-)';
const HOSTNAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** host[:port] where host is an IPv4 address, a [bracketed] IPv6 address, or a DNS name. */
export function isLoginServer(value: string): boolean {
  if (value.length > 253 + 6) return false;
  let host = value;
  let port: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(value);
  if (v6) {
    host = v6[1];
    port = v6[2];
    if (!host.includes(':')) return false;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.slice(0, colon);
      port = value.slice(colon + 1);
    }
    const looksNumeric = /^[\d.]+$/.test(host);
    if (looksNumeric ? !IPV4.test(host) : !HOSTNAME.test(host)) return false;
  }
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) return false;
  return true;
}

/** Splits host[:port] (IPv6 in brackets) into its host and its port suffix (`:5000` or ''). */
function splitHostPort(loginServer: string): { host: string; port: string } {
  const v6 = /^(\[[^\]]*\])(:\d+)?$/.exec(loginServer);
  if (v6) return { host: v6[1], port: v6[2] ?? '' };
  const colon = loginServer.lastIndexOf(':');
  return colon >= 0 ? { host: loginServer.slice(0, colon), port: loginServer.slice(colon) } : { host: loginServer, port: '' };
}

/**
 * The default regional data endpoint. For a DNS name, "<region>.data" goes after its first label
 * (contoso.azurecr.io + westus2 → contoso.westus2.data.azurecr.io; a port is kept). An IP address
 * has no name to derive another from: its data endpoint is the login server itself
 * (127.0.0.1:5301 → 127.0.0.1:5301); give another one explicitly when it differs.
 */
export function defaultDataEndpoint(loginServer: string, region: string): string {
  const { host, port } = splitHostPort(loginServer);
  if (host.startsWith('[') || IPV4.test(host)) return loginServer;
  const [first, ...rest] = host.split('.');
  return `${rest.length ? `${first}.${region}.data.${rest.join('.')}` : `${first}.${region}.data`}${port}`;
}

export function isContinuous(schedule: string): boolean {
  return schedule.trim().split(/\s+/).join(' ') === CONTINUOUS_SCHEDULE;
}

/** A 5-field cron expression, or an error message. */
export function cronError(schedule: string): string | null {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `"${schedule}" is not a cron schedule: it needs 5 fields (minute hour day month weekday).`;
  try {
    CronExpressionParser.parse(schedule);
    return null;
  } catch (error) {
    return `"${schedule}" is not a valid cron schedule: ${(error as Error).message}.`;
  }
}

export function describeSchedule(schedule: string): string {
  if (isContinuous(schedule)) return 'Continuously (every minute)';
  try {
    return cronstrue.toString(schedule, { use24HourTimeFormat: true });
  } catch {
    return schedule;
  }
}

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds in an ISO 8601 duration of weeks, days, hours, minutes and seconds; null if invalid. */
export function durationSeconds(value: string): number | null {
  const m = ISO_DURATION.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return null;
  const [w, d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0));
  return w * 604800 + d * 86400 + h * 3600 + min * 60 + s;
}

const HOUR = 3600;
const DAY = 86400;

export function syncWindowError(schedule: string, syncWindow: string | null | undefined): string | null {
  if (!syncWindow) {
    return isContinuous(schedule) ? null : 'A sync window is required when the schedule is not continuous (for example PT3H).';
  }
  const seconds = durationSeconds(syncWindow);
  if (seconds === null) return `"${syncWindow}" is not an ISO 8601 duration (for example PT3H or P1D).`;
  if (seconds < HOUR || seconds > 7 * DAY) return 'The sync window must be between 1 hour (PT1H) and 7 days (P7D).';
  return null;
}

export function messageTtlError(ttl: string): string | null {
  const seconds = durationSeconds(ttl);
  if (seconds === null) return `"${ttl}" is not an ISO 8601 duration (for example P2D).`;
  if (seconds < DAY || seconds > 90 * DAY) return 'The message TTL must be between 1 day (P1D) and 90 days (P90D).';
  return null;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Fa-f0-9]{32,}$/;

/** `artifact:action`; artifact = name[:tag][@digest]; action push|delete; `*` a wildcard. */
export function notificationError(pattern: string): string | null {
  const bad = `"${pattern}" is not a notification pattern: use artifact:action, e.g. "*:*" or "hello-world:1.0:push".`;
  const lastColon = pattern.lastIndexOf(':');
  if (lastColon <= 0) return bad;
  const action = pattern.slice(lastColon + 1);
  if (!['push', 'delete', '*'].includes(action)) return `${bad} The action must be push, delete or *.`;
  const artifact = pattern.slice(0, lastColon);
  if (artifact === '*') return null;
  const at = artifact.indexOf('@');
  const nameTag = at >= 0 ? artifact.slice(0, at) : artifact;
  const digest = at >= 0 ? artifact.slice(at + 1) : undefined;
  if (digest !== undefined && digest !== '*' && !DIGEST.test(digest)) return `${bad} "${digest}" is not a digest.`;
  const colon = nameTag.indexOf(':');
  const name = colon >= 0 ? nameTag.slice(0, colon) : nameTag;
  const tag = colon >= 0 ? nameTag.slice(colon + 1) : undefined;
  const nameOk = name === '*' || isRepositoryName(name.replace(/\*/g, 'x'));
  if (!nameOk) return `${bad} "${name}" is not a repository name.`;
  if (tag !== undefined && tag !== '*' && !TAG.test(tag)) return `${bad} "${tag}" is not a tag.`;
  return null;
}

export function childModeError(parentMode: Mode | null, childMode: Mode): string | null {
  if (parentMode === 'ReadOnly' && childMode === 'ReadWrite') {
    return 'A ReadOnly registry can only have ReadOnly children: choose ReadOnly, or another parent.';
  }
  return null;
}

/** The repository actions a registry of this mode syncs. */
export function modeRepositoryActions(mode: Mode) {
  return mode === 'ReadOnly'
    ? (['content/read', 'metadata/read'] as const)
    : (['content/read', 'content/write', 'content/delete', 'metadata/read', 'metadata/write'] as const);
}

export function syncTokenName(registryName: string) {
  return `${registryName}-sync-token`;
}

export function syncScopeMapName(registryName: string) {
  return `${registryName}-scope-map`;
}

/** A registry that has not reported for this long shows Offline. */
export const OFFLINE_AFTER_MS = 3 * 60 * 1000;

/** The last activity before which a registry is Offline, whatever it reported (the queries' form of the rule). */
export function offlineCutoff(now = Date.now()): Date {
  return new Date(now - OFFLINE_AFTER_MS);
}

/** What an on-premises registry reports (Offline is also what Canopy shows once it stops reporting). */
export const CONNECTION_STATES = ['Online', 'Offline', 'Syncing', 'Unhealthy'] as const;
export type ConnectionStateName = (typeof CONNECTION_STATES)[number];
/** A connected registry is Active once deployed; Deactivate resets it to Inactive. */
export const ACTIVATION_STATUSES = ['Active', 'Inactive'] as const;
export type ActivationStatus = (typeof ACTIVATION_STATUSES)[number];

export function effectiveConnectionState(
  reported: ConnectionStateName,
  lastActivityTime: Date | null,
  now = Date.now(),
): ConnectionStateName {
  if (!lastActivityTime || now - lastActivityTime.getTime() > OFFLINE_AFTER_MS) return 'Offline';
  return reported;
}
