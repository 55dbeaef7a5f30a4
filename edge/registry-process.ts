// The edge's registry: stock distribution (Debian's docker-registry 2.8) run as a child on a
// private loopback port, configured from the data dir: storage on disk there, deletes enabled,
// a persisted http.secret, and token auth that trusts only the edge's own certificate, with the
// edge's token endpoint on the login server as its realm. Restarted when it dies, stopped when
// the edge stops.
//
// distribution 3 (`registry serve`) reads the same keys; it wants `auth.token.jwks` or still
// takes `rootcertbundle`, and its binary is `registry`: give it with --registry-bin.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import type { DataDir } from './data-dir';
import type { Logger } from './log';

export type RegistrySettings = {
  loginServer: string;
  scheme: 'http' | 'https';
  issuer: string;
  /** where the registry posts its push and delete events (pulls ignored): the sync engine's hints */
  notify?: { url: string; authorization: string } | null;
};

/** `readOnly`: distribution's maintenance mode (pulls served, pushes and deletes refused), for garbage collection. */
export function registryConfigYaml(dataDir: DataDir, port: number, secret: string, s: RegistrySettings, readOnly = false): string {
  const q = (v: string) => JSON.stringify(v); // a JSON string is a valid YAML scalar
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(dataDir.path('registry', 'storage'))}`,
    '  delete:',
    '    enabled: true',
    ...(readOnly ? ['  maintenance:', '    readonly:', '      enabled: true'] : []),
    'http:',
    `  addr: ${q(`127.0.0.1:${port}`)}`,
    `  secret: ${q(secret)}`,
    'auth:',
    '  token:',
    `    realm: ${q(`${s.scheme}://${s.loginServer}/oauth2/token`)}`,
    `    service: ${q(s.loginServer)}`,
    `    issuer: ${q(s.issuer)}`,
    `    rootcertbundle: ${q(dataDir.path('signing-cert.pem'))}`,
    ...(s.notify
      ? [
          'notifications:',
          '  endpoints:',
          '    - name: canopy-edge',
          `      url: ${q(s.notify.url)}`,
          '      headers:',
          `        Authorization: [${q(s.notify.authorization)}]`,
          '      timeout: 2s',
          '      threshold: 5',
          '      backoff: 1s',
          '      ignore:',
          '        actions: ["pull"]',
        ]
      : []),
    '',
  ].join('\n');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' }, () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

export class RegistryProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private settings: RegistrySettings | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private readOnly = false;
  /** children stopped on purpose (a restart): their exit is not a crash to restart from */
  private readonly retiring = new WeakSet<ChildProcess>();
  running = false;
  onStateChange: (running: boolean, detail: string) => void = () => {};

  constructor(
    private readonly bin: string,
    private readonly dataDir: DataDir,
    readonly port: number,
    private readonly log: Logger,
  ) {}

  /** Starts it, or restarts it when its settings changed. */
  async apply(settings: RegistrySettings): Promise<void> {
    if (this.settings && JSON.stringify(this.settings) === JSON.stringify(settings) && this.child) return;
    this.settings = settings;
    await this.restart();
  }

  private async restart() {
    const settings = this.settings!;
    const restart = Boolean(this.child);
    this.dataDir.write(
      'registry/config.yml',
      registryConfigYaml(this.dataDir, this.port, this.dataDir.registrySecret(), settings, this.readOnly),
    );
    if (restart) {
      this.log.info('registry.restart', 'registry settings changed; restarting the registry', { loginServer: settings.loginServer });
      await this.kill();
    }
    await this.spawn();
  }

  private async spawn(): Promise<void> {
    if (this.stopping) return;
    const child = spawn(this.bin, ['serve', this.dataDir.path('registry', 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let tail = '';
    const keep = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-2000);
      for (const line of d.toString().split('\n').filter(Boolean)) this.log.debug('registry.output', line.slice(0, 500));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (error) => this.log.error('registry.error', `cannot run ${this.bin}: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.running) {
        this.running = false;
        this.onStateChange(false, `the registry exited (${signal ?? code})`);
      }
      if (this.stopping || this.child || this.retiring.has(child)) return;
      this.log.error('registry.exit', `the registry exited (${signal ?? `code ${code}`}); restarting in 1 s`, {
        output: tail.trim().split('\n').pop(),
      });
      this.restartTimer = setTimeout(() => void this.spawn(), 1000);
    });
    const until = Date.now() + 15_000;
    while (Date.now() < until && this.child === child && child.exitCode === null) {
      if (await portOpen(this.port)) {
        this.running = true;
        this.log.info('registry.started', `the registry serves on 127.0.0.1:${this.port}`, { pid: child.pid });
        this.onStateChange(true, 'running');
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (!child || child.exitCode !== null) return;
    this.retiring.add(child);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /**
   * Garbage collection, the way distribution needs it: the registry restarted read-only (no push
   * can race the sweep), `garbage-collect` run on its configuration WITHOUT --delete-untagged
   * (that flag deletes the child manifests of multi-platform indexes, distribution#3004), then
   * the registry restarted writable — also when the collection fails. Resolves with its summary.
   */
  async collectGarbage(signal?: AbortSignal): Promise<string> {
    if (!this.settings) throw new Error('the registry has no configuration yet');
    this.readOnly = true;
    try {
      await this.restart();
      this.log.info('registry.readonly', 'the registry is read-only for garbage collection');
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const gc = spawn(this.bin, ['garbage-collect', this.dataDir.path('registry', 'config.yml')], {
          stdio: ['ignore', 'pipe', 'pipe'],
          signal,
        });
        let text = '';
        gc.stdout!.on('data', (d) => (text = (text + d).slice(-100_000)));
        gc.stderr!.on('data', (d) => (text = (text + d).slice(-100_000)));
        gc.once('error', reject);
        gc.once('exit', (exitCode) => resolve({ code: exitCode, output: text }));
      });
      const lines = output.trim().split('\n');
      if (code !== 0) throw new Error(`garbage-collect exited with ${code}: ${lines.pop()?.slice(0, 500) ?? ''}`);
      // distribution ends with "<n> blobs marked, <m> blobs and <k> manifests eligible for deletion"
      const m = /(\d+) blobs marked, (\d+) blobs and (\d+) manifests eligible for deletion/.exec(output);
      return m ? `${m[2]} blobs deleted, ${m[1]} kept (${m[3]} manifests deleted)` : 'done';
    } finally {
      this.readOnly = false;
      if (!this.stopping) await this.restart();
      this.log.info('registry.writable', 'garbage collection over: the registry accepts pushes again');
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.kill();
  }

  pid(): number | undefined {
    return this.child?.pid;
  }
}
