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

export type RegistrySettings = { loginServer: string; scheme: 'http' | 'https'; issuer: string };

export function registryConfigYaml(dataDir: DataDir, port: number, secret: string, s: RegistrySettings): string {
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
    'http:',
    `  addr: ${q(`127.0.0.1:${port}`)}`,
    `  secret: ${q(secret)}`,
    'auth:',
    '  token:',
    `    realm: ${q(`${s.scheme}://${s.loginServer}/oauth2/token`)}`,
    `    service: ${q(s.loginServer)}`,
    `    issuer: ${q(s.issuer)}`,
    `    rootcertbundle: ${q(dataDir.path('signing-cert.pem'))}`,
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
    const restart = Boolean(this.child);
    this.settings = settings;
    this.dataDir.write('registry/config.yml', registryConfigYaml(this.dataDir, this.port, this.dataDir.registrySecret(), settings));
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
      if (this.stopping || this.child) return;
      this.log.error('registry.exit', `the registry exited (${signal ?? `code ${code}`}); restarting in 1 s`, { output: tail.trim().split('\n').pop() });
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
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
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
