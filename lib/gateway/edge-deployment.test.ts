import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '@/edge/options';
import { edgeDeployment } from './edge-deployment';

const password = 'sync-password-that-must-stay-in-the-file';
const connectionString = `ConnectedRegistryName=Factory01;SyncTokenName=factory01-sync-token;SyncTokenPassword=${password};ParentGatewayEndpoint=contoso.westus2.data.azurecr.io;ParentEndpointProtocol=https`;

/** The shown arguments, read by the edge's own parser, with the file put where a test may write. */
function parseShown(args: string[]) {
  const file = join(mkdtempSync(join(tmpdir(), 'edge-deploy-')), 'connection-string');
  writeFileSync(file, connectionString);
  chmodSync(file, 0o600);
  const local = [...args];
  local[local.indexOf('--connection-string-file') + 1] = file;
  const parsed = parseOptions(local, { PATH: process.env.PATH });
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return parsed.options;
}

describe('edgeDeployment: what the portal shows to deploy a connected registry', () => {
  it('a registry under the cloud registry: the file form, Canopy’s URL, and a unit running the same command', () => {
    const d = edgeDeployment({ name: 'Factory01', parentIsCloud: true, tls: 'Disabled', canopyUrl: 'https://canopy.example.com/' });
    expect(d.connectionStringFile).toBe('/etc/canopy-edge/factory01/connection-string');
    expect(d.command).toBe(
      'node /usr/local/lib/canopy-edge.mjs --connection-string-file /etc/canopy-edge/factory01/connection-string --data-dir /var/lib/canopy-edge/factory01 --canopy-url https://canopy.example.com',
    );
    expect(d.unit).toContain(`ExecStart=/usr/bin/node ${d.command.slice('node '.length)}\n`);
    expect(d.unit).toContain('StateDirectory=canopy-edge/factory01\n');
    expect(d.unitName).toBe('canopy-edge-factory01.service');
    expect(d.writeConnectionString).toContain('(umask 077; cat > /etc/canopy-edge/factory01/connection-string)');

    const options = parseShown(d.args);
    expect(options.canopyUrl).toBe('https://canopy.example.com');
    expect(options.connection.syncTokenPassword).toBe(password);
    expect(options.dataDir).toBe('/var/lib/canopy-edge/factory01');
    expect(options.tlsCert).toBeNull();
  });

  it('a nested registry needs no Canopy URL (its parent’s edge relays); TLS Enabled serves HTTPS with a certificate and key', () => {
    const d = edgeDeployment({ name: 'line01', parentIsCloud: false, tls: 'Enabled', canopyUrl: 'https://canopy.example.com' });
    expect(d.args).not.toContain('--canopy-url');
    const options = parseShown(d.args);
    expect(options.canopyUrl).toBeNull();
    expect(options.tlsCert).toBe('/etc/canopy-edge/line01/tls.crt');
    expect(options.tlsKey).toBe('/etc/canopy-edge/line01/tls.key');
  });

  it('never carries a password: the commands and the unit name a file, and the file is written with umask 077', () => {
    for (const parentIsCloud of [true, false]) {
      const d = edgeDeployment({ name: 'factory01', parentIsCloud, tls: 'Disabled', canopyUrl: 'http://localhost:3000' });
      for (const text of [d.command, d.unit, d.writeConnectionString]) {
        expect(text).not.toMatch(/--connection-string\s|SyncTokenPassword|CANOPY_EDGE_CONNECTION_STRING/);
      }
    }
  });
});
