// Command-line flags and where the connection string comes from: a file readable only by its
// owner (the form Canopy shows), CANOPY_EDGE_CONNECTION_STRING, or --connection-string (labs).
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConnectionString, type ConnectionSettings } from '@/lib/gateway/connection-string';

export class UsageError extends Error {}

export const USAGE = `Canopy Edge: the on-premises half of a connected registry.

Usage:
  canopy-edge --connection-string-file <file> --data-dir <dir> [options]

Options:
  --connection-string-file <file>  the connection string Canopy gave (create, or Rotate sync
                                   credentials); the file must not be readable by others (chmod 600).
                                   Or set CANOPY_EDGE_CONNECTION_STRING.
  --connection-string <s>          the string itself (labs only: it shows in the process list)
  --data-dir <dir>                 where the edge keeps its configuration, keys and registry storage
  --canopy-url <url>               Canopy's gateway, for a registry whose parent is the cloud registry
                                   (default: <ParentEndpointProtocol>://<ParentGatewayEndpoint>)
  --listen <host:port>             the login server's listener (default 0.0.0.0:<login server port>,
                                   else 443 with TLS, 80 without)
  --registry-bin <path>            distribution's registry binary (default: docker-registry on PATH)
  --insecure                       plain HTTP to the parent (loopback labs)
  --ca-file <pem>                  trust this CA for the parent's TLS
  --tls-cert <pem> --tls-key <pem> serve HTTPS on the listener
  --log-format text|json           one line per event (default text)
  --status-interval <seconds>      between status reports (default 30)
  --sync-concurrency <n>           blobs the sync engine copies at once (default 4)
  --version                        print the version
  --help                           print this help
`;

export type EdgeOptions = {
  connection: ConnectionSettings;
  dataDir: string;
  canopyUrl: string | null;
  listen: string | null;
  registryBin: string;
  insecure: boolean;
  caFile: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
  logFormat: 'text' | 'json';
  statusIntervalMs: number;
  syncConcurrency: number;
};

export type Parsed = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: EdgeOptions };

function readConnectionFile(file: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    throw new UsageError(
      `Cannot read the connection string file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  if (mode & 0o077) {
    throw new UsageError(
      `${file} is readable by others (mode ${(mode & 0o777).toString(8)}): it holds the sync password. Run chmod 600 ${file}.`,
    );
  }
  return readFileSync(file, 'utf8');
}

/** The registry binary: a path, or a name looked up on PATH. */
export function findExecutable(bin: string, path = process.env.PATH ?? ''): string | null {
  const candidates = bin.includes('/')
    ? [bin]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, bin));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return c;
    } catch {
      /* next */
    }
  }
  return null;
}

export function parseOptions(argv: string[], env: Record<string, string | undefined> = process.env): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'connection-string-file': { type: 'string' },
        'connection-string': { type: 'string' },
        'data-dir': { type: 'string' },
        'canopy-url': { type: 'string' },
        listen: { type: 'string' },
        'registry-bin': { type: 'string' },
        insecure: { type: 'boolean' },
        'ca-file': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'log-format': { type: 'string' },
        'status-interval': { type: 'string' },
        'sync-concurrency': { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const sources = [values['connection-string-file'], values['connection-string'], env.CANOPY_EDGE_CONNECTION_STRING].filter(Boolean);
  if (sources.length === 0)
    throw new UsageError('Give the connection string: --connection-string-file <file> (or CANOPY_EDGE_CONNECTION_STRING).');
  if (values['connection-string-file'] && values['connection-string'])
    throw new UsageError('Give --connection-string-file or --connection-string, not both.');
  const raw = values['connection-string-file']
    ? readConnectionFile(values['connection-string-file'])
    : (values['connection-string'] ?? env.CANOPY_EDGE_CONNECTION_STRING!);
  let connection: ConnectionSettings;
  try {
    connection = parseConnectionString(raw);
  } catch (error) {
    throw new UsageError(`The connection string is not usable: ${(error as Error).message}`);
  }

  if (!values['data-dir']) throw new UsageError('Give --data-dir <dir>: where the edge keeps its configuration, keys and storage.');
  const logFormat = values['log-format'] ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') throw new UsageError('--log-format is text or json.');
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new UsageError('Give both --tls-cert and --tls-key, or neither.');
  let canopyUrl: string | null = null;
  if (values['canopy-url']) {
    try {
      const u = new URL(values['canopy-url']);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
      canopyUrl = u.origin + u.pathname.replace(/\/+$/, '');
    } catch {
      throw new UsageError(`--canopy-url ${values['canopy-url']} is not an http(s) URL.`);
    }
  }
  if (values.listen !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(values.listen)) {
    throw new UsageError(`--listen ${values.listen} is not host:port.`);
  }
  const statusInterval = Number(values['status-interval'] ?? 30);
  if (!Number.isFinite(statusInterval) || statusInterval < 1 || statusInterval > 3600)
    throw new UsageError('--status-interval is 1–3600 seconds.');
  const syncConcurrency = Number(values['sync-concurrency'] ?? 4);
  if (!Number.isInteger(syncConcurrency) || syncConcurrency < 1 || syncConcurrency > 64)
    throw new UsageError('--sync-concurrency is 1–64.');
  const registryBin = findExecutable(values['registry-bin'] ?? 'docker-registry', env.PATH ?? '');
  if (!registryBin) {
    throw new UsageError(
      `The registry binary ${values['registry-bin'] ?? 'docker-registry'} was not found${values['registry-bin'] ? '' : ' on PATH'}: install distribution (Debian: apt-get install docker-registry) or give --registry-bin.`,
    );
  }
  return {
    kind: 'run',
    options: {
      connection,
      dataDir: values['data-dir'],
      canopyUrl,
      listen: values.listen ?? null,
      registryBin,
      insecure: values.insecure ?? false,
      caFile: values['ca-file'] ?? null,
      tlsCert: values['tls-cert'] ?? null,
      tlsKey: values['tls-key'] ?? null,
      logFormat,
      statusIntervalMs: statusInterval * 1000,
      syncConcurrency,
    },
  };
}
