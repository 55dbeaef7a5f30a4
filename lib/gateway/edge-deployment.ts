// How to deploy a connected registry with Canopy Edge, as the portal shows it (the one-time
// connection-string dialog and the registry page) and the README describes it. The connection
// string holds the sync password, so it goes into a file only its owner can read: none of these
// commands, nor the systemd unit, carries it. Pure: used by server components and actions alike.

export type EdgeDeploymentTarget = {
  /** the connected registry */
  name: string;
  /** its parent is the cloud registry: the edge talks to Canopy's gateway directly */
  parentIsCloud: boolean;
  /** its login server's TLS: the edge serves HTTPS with a certificate and key when Enabled */
  tls: 'Enabled' | 'Disabled';
  /** where Canopy is reached (its public URL): the gateway of a registry under the cloud registry */
  canopyUrl: string;
};

export type EdgeDeployment = {
  tls: 'Enabled' | 'Disabled';
  /** the one file the site needs, built with `npm run build:edge` */
  program: string;
  connectionStringFile: string;
  dataDir: string;
  /** writes the connection-string file, readable by its owner alone; the string is pasted, never typed as an argument */
  writeConnectionString: string;
  /** the edge's arguments after `node <program>` */
  args: string[];
  /** the exact command, as one shell line */
  command: string;
  unitName: string;
  unitPath: string;
  /** the systemd unit running that command */
  unit: string;
};

export const EDGE_PROGRAM = '/usr/local/lib/canopy-edge.mjs';

/** A file name for the registry: registry names are letters and digits, compared case-insensitively. */
const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

export function edgeDeployment(target: EdgeDeploymentTarget): EdgeDeployment {
  const id = slug(target.name);
  const etc = `/etc/canopy-edge/${id}`;
  const connectionStringFile = `${etc}/connection-string`;
  const dataDir = `/var/lib/canopy-edge/${id}`;
  const args = ['--connection-string-file', connectionStringFile, '--data-dir', dataDir];
  // a nested registry needs no URL: its connection string names its parent's login server, whose edge relays
  if (target.parentIsCloud) args.push('--canopy-url', target.canopyUrl.replace(/\/+$/, ''));
  if (target.tls === 'Enabled') args.push('--tls-cert', `${etc}/tls.crt`, '--tls-key', `${etc}/tls.key`);
  const command = ['node', EDGE_PROGRAM, ...args].join(' ');
  const unitName = `canopy-edge-${id}.service`;
  const unit = [
    `# /etc/systemd/system/${unitName}`,
    '[Unit]',
    `Description=Canopy Edge: connected registry ${target.name}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    `ExecStart=/usr/bin/node ${EDGE_PROGRAM} ${args.join(' ')}`,
    'Restart=always',
    'RestartSec=5',
    `StateDirectory=canopy-edge/${id}`,
    'StateDirectoryMode=0700',
    '# the edge stops its registry on SIGTERM',
    'KillMode=mixed',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  return {
    tls: target.tls,
    program: EDGE_PROGRAM,
    connectionStringFile,
    dataDir,
    writeConnectionString: `install -d -m 700 ${etc}\n(umask 077; cat > ${connectionStringFile})   # paste the connection string, then Ctrl-D`,
    args,
    command,
    unitName,
    unitPath: `/etc/systemd/system/${unitName}`,
    unit,
  };
}
