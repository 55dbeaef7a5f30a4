import type { Metadata } from 'next';
import { Download } from 'lucide-react';
import { SigningKeyRotation } from '@/components/signing-key-rotation';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { distributionConfig, tokenServiceSettings } from '@/lib/token-service/settings';

export const metadata: Metadata = { title: 'Token service' };

const stateTone = { signing: 'green', pending: 'amber', retiring: 'neutral' } as const;

export default async function TokenServicePage() {
  const actor = await pageActor();
  const settings = await tokenServiceSettings();
  const config = distributionConfig(settings);
  return (
    <>
      <PageHeader
        title="Token service"
        description="Canopy is the token authority that your registries trust: clients log in with Canopy's tokens, and registries check the JWTs Canopy signs."
      />
      <div className="space-y-6">
        <Card title="Endpoints">
          <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500 dark:text-slate-400">Realm</dt>
            <dd className="flex items-center gap-2">
              <code data-testid="token-realm">{settings.realm}</code> <CopyButton value={settings.realm} />
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Issuer</dt>
            <dd className="flex items-center gap-2">
              <code data-testid="token-issuer">{settings.issuer}</code> <CopyButton value={settings.issuer} />
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Service</dt>
            <dd className="text-slate-700 dark:text-slate-300">
              The login server of the registry: a connected registry&apos;s endpoint, or the cloud registry&apos;s login server.
            </dd>
          </dl>
        </Card>
        <Card
          title="Certificate"
          actions={
            <a
              href="/api/v1/token-service/certificate.pem"
              download
              className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-2.5 py-1 text-sm font-medium hover:bg-slate-50 dark:hover:bg-slate-800/60"
            >
              <Download size={14} aria-hidden /> Download PEM
            </a>
          }
        >
          <pre className="max-h-48 overflow-auto rounded-md bg-slate-900 dark:bg-slate-950 p-3 text-xs text-slate-100">
            {settings.certificate}
          </pre>
        </Card>
        <Card title="Registry configuration (distribution config.yml)" actions={<CopyButton value={config} label="Copy block" />}>
          <pre data-testid="distribution-config" className="rounded-md bg-slate-900 dark:bg-slate-950 p-3 text-xs text-emerald-200">
            {config}
          </pre>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Save the certificate as the <code>rootcertbundle</code> file, set <code>service</code> to that registry&apos;s service name (
            <code>&lt;cloud registry&gt;/&lt;connected registry&gt;</code>, on its page; a login server works too while no other registry
            shares it), and restart the registry. Works with distribution 2.8 (Debian&apos;s <code>docker-registry</code>) and 3.x.
          </p>
        </Card>
        <Card title="Signing keys">
          <Table caption="Published signing keys">
            <thead>
              <tr>
                <Th>Key id</Th>
                <Th>State</Th>
                <Th>Published</Th>
                <Th>Signs from</Th>
                <Th>Retires</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {settings.keys.map((k) => (
                <tr key={k.kid}>
                  <Td className="font-mono text-xs">{k.kid}</Td>
                  <Td>
                    <Badge tone={stateTone[k.state]}>{k.state}</Badge>
                  </Td>
                  <Td>{k.createdAt.slice(0, 16).replace('T', ' ')}</Td>
                  <Td>{k.activatesAt.slice(0, 16).replace('T', ' ')}</Td>
                  <Td>{k.retiredAt ? k.retiredAt.slice(0, 16).replace('T', ' ') : '—'}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {hasRole(actor, 'Owner') && (
            <div className="mt-4">
              <SigningKeyRotation />
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
