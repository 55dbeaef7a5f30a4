// Canopy Edge: one Node process in front of one stock distribution registry; together they are a
// connected registry, reachable at its login server. This file ties the pieces together: the
// configuration long poll (and the saved copy it starts from offline), the listener (/v2 proxy,
// /oauth2/token, /gateway relay, /healthz), the registry child process and status reports.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { freePort } from '@/lib/free-port';
import { durationSeconds } from '@/lib/registries/rules';
import { isTokenRequest, serveTokenHttp } from '@/lib/token-service/protocol';
import { BlobFastPath, isBlobGet } from './blob-fast-path';
import { describeChanges, edgeConfigSchema, type EdgeConfig } from './config';
import { DataDir } from './data-dir';
import type { Logger } from './log';
import type { EdgeOptions } from './options';
import { RegistryProcess } from './registry-process';
import { gatewayError, Relay, sendJson } from './relay';
import { sleep } from './sync/work';
import { StatusQueue, type StatusReport } from './status';
import { localAuthorize } from './sync/local-auth';
import { basicRealmAuthorize, RegistryClient } from './sync/oci-client';
import type { NotificationTarget } from './sync/push-hints';
import { EdgeSync, type SyncRunReport } from './sync/service';
import { edgeIssuer, EdgeTokenService } from './token-service';
import { basicAuthorization, errorCode, Upstream } from './upstream';
import { EDGE_RUNTIME } from './version';

/** The edge cannot go on (activation refused): main prints the message and exits with the code. */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

type UpstreamState = 'connecting' | 'online' | 'offline' | 'credentials_rejected';
type Saved = { etag: string | null; config: unknown; savedAt: string; refusal?: string | null };

const LONG_POLL_SECONDS = 55;

export class Edge {
  readonly dataDir: DataDir;
  config: EdgeConfig | null = null;
  etag: string | null = null;
  refusal: string | null = null;
  upstreamState: UpstreamState = 'connecting';
  /** runs sync and garbage collection; it owns lastSyncTime (the end of the last successful run) */
  sync: EdgeSync | null = null;
  private notify: NotificationTarget | null = null;
  private cloudRegistry: string | null = null;
  private readonly upstream: Upstream;
  private readonly authorization: string;
  private instanceId = '';
  private registry: RegistryProcess | null = null;
  private tokens: EdgeTokenService | null = null;
  /** blob GETs served from the registry's storage, without the proxy hop */
  private blobs: BlobFastPath | null = null;
  private relay: Relay;
  private statusQueue: StatusQueue;
  private server: http.Server | null = null;
  private readonly abort = new AbortController();
  private statusTimer: NodeJS.Timeout | null = null;
  private reporting: Promise<void> = Promise.resolve();
  private finish: ((error?: FatalError) => void) | null = null;
  private haveConfig: (() => void) | null = null;
  listenAddress: string | null = null;

  constructor(
    readonly options: EdgeOptions,
    readonly log: Logger,
  ) {
    this.dataDir = new DataDir(options.dataDir);
    const c = options.connection;
    const protocol = options.insecure ? 'http' : c.parentEndpointProtocol;
    this.upstream = new Upstream(options.canopyUrl ?? `${protocol}://${c.parentGatewayEndpoint}`, options.caFile);
    this.authorization = basicAuthorization(c.syncTokenName, c.syncTokenPassword);
    this.relay = new Relay(this.upstream, this.dataDir, log, () => this.config);
    this.statusQueue = new StatusQueue(this.dataDir);
  }

  private get scheme(): 'http' | 'https' {
    return this.options.tlsCert ? 'https' : 'http';
  }

  /**
   * Starts everything and resolves once the edge serves; the returned promise `done` settles
   * when it stops for good (rejecting with a FatalError when it must not go on).
   */
  async start(): Promise<{ done: Promise<void> }> {
    const done = new Promise<void>((resolve, reject) => {
      this.finish = (error) => (error ? reject(error) : resolve());
    });
    done.catch(() => {}); // the caller handles it once start() returns; no unhandled rejection before

    this.dataDir.prepare();
    this.instanceId = this.dataDir.instanceId();
    const c = this.options.connection;
    this.log.info('edge.start', `${EDGE_RUNTIME} for ${c.connectedRegistryName}`, {
      instance: this.instanceId,
      upstream: this.upstream.baseUrl,
      dataDir: this.dataDir.root,
    });
    const key = await this.dataDir.signingKey(`Canopy Edge ${c.connectedRegistryName}`);
    this.tokens = new EdgeTokenService(key, () => ({ config: this.config, refusal: this.disabled() }));
    this.tokens.onRefusal = (status, username, address, message) =>
      this.log.warn('auth.refused', message, { status, token: username ?? undefined, address });
    this.blobs = new BlobFastPath(this.dataDir.path('registry', 'storage'), key, () =>
      this.config ? { issuer: edgeIssuer(this.config.name), service: this.config.loginServer } : null,
    );
    this.registry = new RegistryProcess(this.options.registryBin, this.dataDir, await freePort(), this.log);
    this.registry.onStateChange = (running, detail) => {
      if (!running) this.log.warn('registry.down', detail);
      this.reportSoon();
    };
    this.sync = this.makeSync(key);
    this.notify = await this.sync.listenForPushes();

    const saved = this.dataDir.readJson<Saved>('config.json');
    if (saved) {
      const parsed = edgeConfigSchema.safeParse(saved.config);
      if (parsed.success && parsed.data.name.toLowerCase() === c.connectedRegistryName.toLowerCase()) {
        this.config = parsed.data;
        this.etag = saved.etag;
        this.refusal = saved.refusal ?? null;
        this.cloudRegistry = parsed.data.registry;
        this.log.level = parsed.data.logLevel;
        this.log.info('config.loaded', `starting from the configuration saved at ${saved.savedAt}`, { etag: saved.etag });
      } else this.log.warn('config.ignored', 'the saved configuration is not usable; waiting for Canopy');
    }

    void this.configLoop();
    if (this.options.listen) await this.listen(this.options.listen);
    if (!this.config) {
      this.log.info('config.waiting', 'waiting for the first configuration from Canopy');
      await new Promise<void>((r) => (this.haveConfig = r));
      if (this.abort.signal.aborted) return { done };
    }
    await this.applyConfig();
    if (!this.server) await this.listen(this.defaultListen());
    this.statusTimer = setInterval(() => this.reportSoon(), this.options.statusIntervalMs);
    this.reportSoon();
    this.sync!.start();
    return { done };
  }

  private defaultListen(): string {
    const login = this.config!.loginServer;
    const port = /:(\d+)$/.exec(login)?.[1] ?? (this.options.tlsCert ? '443' : '80');
    return `0.0.0.0:${port}`;
  }

  private async listen(address: string) {
    const colon = address.lastIndexOf(':');
    const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
    const port = Number(address.slice(colon + 1));
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const server = this.options.tlsCert
      ? https.createServer({ cert: readFileSync(this.options.tlsCert), key: readFileSync(this.options.tlsKey!) }, handler)
      : http.createServer(handler);
    server.requestTimeout = 0; // blob uploads and downloads take as long as they take
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new FatalError(`Cannot listen on ${address}: ${error.message}`, 2)));
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    this.listenAddress = `${bound.address}:${bound.port}`;
    this.log.info('edge.listen', `serving the login server on ${this.scheme}://${this.listenAddress}`);
  }

  /** The configuration changed (or was loaded): the registry follows its login server, the log its level. */
  private async applyConfig() {
    const config = this.config!;
    this.log.level = config.logLevel;
    await this.registry!.apply({
      loginServer: config.loginServer,
      scheme: this.scheme,
      issuer: edgeIssuer(config.name),
      notify: this.notify,
    });
  }

  private save() {
    this.dataDir.writeJson('config.json', {
      etag: this.etag,
      config: this.config,
      savedAt: new Date().toISOString(),
      refusal: this.refusal,
    } satisfies Saved);
  }

  private setUpstream(state: UpstreamState, detail: string) {
    if (this.upstreamState === state) return;
    const before = this.upstreamState;
    this.upstreamState = state;
    const log = state === 'online' ? this.log.info.bind(this.log) : this.log.warn.bind(this.log);
    log('upstream.state', detail, { state, before });
    if (state === 'online') {
      void this.relay.flush();
      void this.sync?.flush();
    }
    this.reportSoon();
  }

  private setRefusal(refusal: string | null) {
    if (this.refusal === refusal) return;
    this.refusal = refusal;
    if (refusal) this.log.error('registry.disabled', `${refusal} Every client is refused until it is enabled again.`);
    else this.log.info('registry.enabled', 'the registry is enabled again: clients are served');
    if (this.config) this.save();
  }

  private gatewayPath(what: string) {
    return `/gateway/v1/registries/${encodeURIComponent(this.cloudRegistry!)}/connected-registries/${encodeURIComponent(this.options.connection.connectedRegistryName)}/${what}`;
  }

  /** Answers that every gateway call shares: 401, 403 registry_disabled, 409. True when handled. */
  private handleRefused(status: number, body: string): boolean {
    if (status === 401) {
      this.setUpstream(
        'credentials_rejected',
        `Canopy rejected the sync credentials (401): serving from the saved configuration. ${body.slice(0, 300)}`,
      );
      return true;
    }
    if (status === 403 && errorCode(body) === 'registry_disabled') {
      this.setUpstream('online', 'Canopy answers');
      this.setRefusal(`Connected registry ${this.options.connection.connectedRegistryName} is disabled in Canopy.`);
      return true;
    }
    if (status === 409) {
      let message = body;
      try {
        message = (JSON.parse(body) as { error: { message: string } }).error.message;
      } catch {
        /* keep the raw body */
      }
      void this.stop(new FatalError(`Activation refused (409): ${message}`, 3));
      return true;
    }
    return false;
  }

  private async configLoop() {
    const signal = this.abort.signal;
    let failures = 0;
    const retry = () => sleep(Math.min(1000 * 2 ** Math.min(failures++, 3), 5000), signal);
    while (!signal.aborted) {
      const headers: Record<string, string> = { authorization: this.authorization, 'x-connected-registry-instance': this.instanceId };
      let res;
      try {
        if (!this.cloudRegistry) {
          const c = this.options.connection;
          const query = new URLSearchParams({ parentEndpoint: c.parentGatewayEndpoint, name: c.connectedRegistryName });
          res = await this.upstream.request('GET', `/gateway/v1/whoami?${query}`, headers, { signal, timeoutMs: 30_000 });
          if (res.status === 200) {
            this.cloudRegistry = (JSON.parse(res.body) as { registry: string }).registry;
            continue;
          }
        } else {
          const poll = this.etag && this.config && !this.refusal && this.upstreamState === 'online';
          if (this.etag) headers['if-none-match'] = this.etag;
          res = await this.upstream.request('GET', this.gatewayPath('config') + (poll ? `?wait=${LONG_POLL_SECONDS}` : ''), headers, {
            signal,
            timeoutMs: (LONG_POLL_SECONDS + 30) * 1000,
          });
        }
      } catch (error) {
        if (signal.aborted) return;
        this.setUpstream(
          'offline',
          `cannot reach ${this.upstream.baseUrl}: ${(error as Error).message}; serving from the saved configuration`,
        );
        await retry();
        continue;
      }
      if (res.status === 200 || res.status === 304) {
        failures = 0;
        this.setUpstream('online', `connected to ${this.upstream.baseUrl}`);
        this.setRefusal(null);
        if (res.status === 200) await this.received(res.body, String(res.headers.etag ?? ''));
        continue;
      }
      if (!this.handleRefused(res.status, res.body)) {
        this.log.warn('config.error', `the gateway answered ${res.status}: ${res.body.slice(0, 300)}`, { status: res.status });
        if (res.status >= 500) this.setUpstream('offline', `the upstream answered ${res.status}`);
      }
      await retry();
    }
  }

  private async received(body: string, etag: string) {
    let parsed;
    try {
      parsed = edgeConfigSchema.safeParse(JSON.parse(body));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      this.log.error(
        'config.invalid',
        `the configuration from the gateway is not one this edge understands: ${parsed?.error.message ?? 'not JSON'}`,
      );
      return;
    }
    const before = this.config;
    this.config = parsed.data;
    this.etag = etag;
    this.cloudRegistry = parsed.data.registry;
    this.save();
    for (const line of describeChanges(before, parsed.data)) this.log.info('config.changed', line, { etag });
    if (before) await this.applyConfig();
    else this.haveConfig?.();
    this.sync?.configChanged();
  }

  // ---- sync ---------------------------------------------------------------------------------

  /**
   * The parent's registry: the cloud registry's login server, or the parent edge's; reached with
   * the connection string's protocol (http with --insecure), tokens from the realm it names.
   */
  private makeSync(key: Awaited<ReturnType<DataDir['signingKey']>>): EdgeSync {
    const c = this.options.connection;
    const ca = this.options.caFile ? readFileSync(this.options.caFile) : undefined;
    return new EdgeSync({
      dataDir: this.dataDir,
      log: this.log,
      config: () => (this.disabled() ? null : this.config),
      concurrency: this.options.syncConcurrency,
      clients: (config) => {
        const parent = config.parent as { kind: string; loginServer?: string; endpoint?: string };
        const host = parent.kind === 'cloudRegistry' ? parent.loginServer : parent.endpoint;
        const protocol = this.options.insecure ? 'http' : c.parentEndpointProtocol;
        return {
          parent: new RegistryClient(`${protocol}://${host}`, basicRealmAuthorize(c.syncTokenName, c.syncTokenPassword, { ca }), { ca }),
          edge: new RegistryClient(
            `http://127.0.0.1:${this.registry!.port}`,
            localAuthorize(key, () => edgeIssuer(config.name)),
          ),
        };
      },
      post: (report) => this.postSyncRun(report),
      collectGarbage: (signal) => this.registry!.collectGarbage(signal),
      onRunning: () => this.reportSoon(),
      online: () => this.upstreamState === 'online',
    });
  }

  private async postSyncRun(report: SyncRunReport): Promise<'sent' | 'refused' | 'unreachable'> {
    if (!this.cloudRegistry || this.upstreamState === 'offline') return 'unreachable';
    let res;
    try {
      res = await this.upstream.request(
        'POST',
        this.gatewayPath('sync-runs'),
        { authorization: this.authorization, 'x-connected-registry-instance': this.instanceId, 'content-type': 'application/json' },
        { body: JSON.stringify(report), timeoutMs: 30_000 },
      );
    } catch {
      return 'unreachable';
    }
    if (res.status >= 200 && res.status < 300) {
      this.log.debug('sync.report.sent', `run ${report.id} ${report.status}`, { status: res.status });
      return 'sent';
    }
    if (res.status >= 500) return 'unreachable';
    if (!this.handleRefused(res.status, res.body))
      this.log.warn('sync.report.refused', `the gateway refused the report of run ${report.id} (${res.status}): ${res.body.slice(0, 300)}`);
    return 'refused';
  }

  // ---- status -------------------------------------------------------------------------------

  private currentReport(): StatusReport | null {
    if (this.refusal) return null; // a disabled registry has nothing to report (and may not)
    const details: StatusReport['statusDetails'] = [];
    const timestamp = new Date().toISOString();
    if (!this.registry?.running)
      details.push({ type: 'registry', code: 'REGISTRY_DOWN', description: 'The registry process is not running.', timestamp });
    if (this.upstreamState === 'credentials_rejected') {
      details.push({
        type: 'upstream',
        code: 'SYNC_CREDENTIALS_REJECTED',
        description: 'Sync credentials rejected: Canopy answered 401. Rotate the sync credentials and redeploy the connection string.',
        timestamp,
      });
    }
    if (this.upstreamState === 'offline')
      details.push({ type: 'upstream', code: 'UPSTREAM_UNREACHABLE', description: `Cannot reach ${this.upstream.baseUrl}.`, timestamp });
    const lastSyncTime = this.sync?.lastSuccess;
    return {
      connectionState: details.length ? 'Unhealthy' : this.sync?.running ? 'Syncing' : 'Online',
      version: EDGE_RUNTIME,
      ...(lastSyncTime ? { lastSyncTime } : {}),
      statusDetails: details,
      observedTime: timestamp,
    };
  }

  private reportSoon() {
    if (!this.config || this.abort.signal.aborted) return;
    this.reporting = this.reporting.then(() => this.report()).catch((error) => this.log.error('status.error', (error as Error).message));
  }

  private async report() {
    const current = this.currentReport();
    if (!current) return;
    if (this.upstreamState !== 'online') {
      this.statusQueue.push(current);
      this.log.info('status.queued', `upstream not reachable: status ${current.connectionState} queued`, {
        queued: this.statusQueue.length,
      });
      return;
    }
    const ttl = durationSeconds(this.config!.syncMessageTtl) ?? 2 * 86400;
    for (const queued of this.statusQueue.fresh(ttl)) {
      const sent = await this.send(queued, true);
      if (sent === 'unreachable') return void this.statusQueue.push(current);
      this.statusQueue.shift();
    }
    if ((await this.send(current, false)) === 'unreachable') this.statusQueue.push(current);
  }

  private async send(report: StatusReport, queued: boolean): Promise<'sent' | 'refused' | 'unreachable'> {
    let res;
    try {
      res = await this.upstream.request(
        'POST',
        this.gatewayPath('status'),
        { authorization: this.authorization, 'x-connected-registry-instance': this.instanceId, 'content-type': 'application/json' },
        { body: JSON.stringify(report), timeoutMs: 30_000 },
      );
    } catch (error) {
      this.setUpstream('offline', `cannot reach ${this.upstream.baseUrl}: ${(error as Error).message}`);
      return 'unreachable';
    }
    if (res.status === 204 || res.status === 202 || res.status === 200) {
      this.log.info('status.sent', `status ${report.connectionState}${queued ? ` (queued, observed ${report.observedTime})` : ''}`, {
        status: res.status,
      });
      return 'sent';
    }
    if (!this.handleRefused(res.status, res.body))
      this.log.warn('status.refused', `the gateway refused the status report (${res.status}): ${res.body.slice(0, 300)}`);
    return 'refused';
  }

  // ---- the listener -------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? '/';
    try {
      if (url === '/v2' || url.startsWith('/v2/') || url.startsWith('/v2?')) return this.proxy(req, res);
      if (isTokenRequest(url)) {
        return await serveTokenHttp(req, res, (r) => this.tokens!.issue(r), req.socket.remoteAddress ?? 'unknown');
      }
      if (url.startsWith('/gateway/')) return await this.relay.handle(req, res);
      if (url === '/healthz') return this.health(res);
      gatewayError(res, 404, 'not_found', 'Not found.');
    } catch (error) {
      this.log.error('http.error', (error as Error).message, { path: url.slice(0, 200) });
      if (!res.headersSent) gatewayError(res, 500, 'internal_error', 'Something went wrong in the edge.');
      else res.destroy();
    }
  }

  /**
   * Why every client is refused, or null: Canopy answered 403 registry_disabled, or the last
   * configuration says the registry's sync token is disabled (the long poll brings that first).
   */
  disabled(): string | null {
    return (
      this.refusal ??
      (this.config?.syncToken.status === 'disabled' ? `Connected registry ${this.config.name} is disabled in Canopy.` : null)
    );
  }

  /**
   * /v2/… streamed to the registry, with the Host header kept (distribution builds upload URLs from
   * it); a blob GET that the registry would serve is read from its storage instead (BlobFastPath).
   */
  private proxy(req: IncomingMessage, res: ServerResponse) {
    const denied = this.disabled();
    if (denied) return sendJson(res, 403, { errors: [{ code: 'DENIED', message: denied }] });
    if (!this.registry?.running)
      return sendJson(res, 503, {
        errors: [{ code: 'UNAVAILABLE', message: 'The registry is starting or restarting; try again shortly.' }],
      });
    if (this.blobs && isBlobGet(req.method, req.url)) {
      this.blobs.serve(req, res).then(
        (served) => served || this.forward(req, res),
        (error: Error) => {
          this.log.warn('blob.error', error.message, { path: (req.url ?? '').slice(0, 200) });
          if (!res.headersSent) this.forward(req, res);
          else res.destroy();
        },
      );
      return;
    }
    this.forward(req, res);
  }

  private forward(req: IncomingMessage, res: ServerResponse) {
    const registry = this.registry!;
    const headers = { ...req.headers };
    if (this.scheme === 'https') headers['x-forwarded-proto'] = 'https';
    const upstreamReq = http.request(
      { host: '127.0.0.1', port: registry.port, method: req.method, path: req.url, headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        pipeline(upstreamRes, res, () => {});
      },
    );
    upstreamReq.on('error', (error) => {
      this.log.warn('proxy.error', `the registry did not answer: ${error.message}`, { path: (req.url ?? '').slice(0, 200) });
      if (!res.headersSent) sendJson(res, 502, { errors: [{ code: 'UNAVAILABLE', message: 'The registry did not answer.' }] });
      else res.destroy();
    });
    pipeline(req, upstreamReq, () => {});
  }

  private health(res: ServerResponse) {
    const disabled = this.disabled();
    const ok = Boolean(this.registry?.running) && !disabled && Boolean(this.config);
    sendJson(res, ok ? 200 : 503, {
      status: disabled ? 'disabled' : ok ? 'ok' : 'degraded',
      version: EDGE_RUNTIME,
      registry: this.registry?.running ? 'running' : 'stopped',
      upstream: this.upstreamState,
      configEtag: this.etag,
      queuedStatusReports: this.statusQueue.length,
      queuedRelayedReports: this.relay.queuedReports,
      blobFastPath: this.blobs?.counts ?? null,
      sync: {
        running: Boolean(this.sync?.running),
        lastSyncTime: this.sync?.lastSuccess ?? null,
        queuedReports: this.sync?.queuedReports ?? 0,
      },
    });
  }

  /** Stops the listener, the registry and every loop; `error` makes `done` reject with it. */
  async stop(error?: FatalError): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.log.info('edge.stop', error ? 'stopping: it cannot go on' : 'stopping');
    if (this.statusTimer) clearInterval(this.statusTimer);
    await this.sync?.stop();
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await this.registry?.stop();
    this.upstream.close();
    this.haveConfig?.();
    this.finish?.(error);
  }
}
