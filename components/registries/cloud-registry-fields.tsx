'use client';
import type { ReactNode } from 'react';
import { TextField } from '@/components/ui/field';
import { firstIssue, liveHostIssue, showLive } from '@/lib/registries/form-checks';
import { defaultDataEndpoint } from '@/lib/registries/rules';
import { createCloudRegistryInput } from '@/lib/registries/schemas';
import { mergeErrors, type useFieldFeedback } from './use-field-feedback';

const fields = createCloudRegistryInput.shape;

export type CloudEndpointValues = { loginServer: string; region: string; dataEndpoint: string };
type Field = keyof CloudEndpointValues;

/**
 * A cloud registry's region, login server and regional data endpoint, checked as they are
 * typed: the fields its create form and its edit dialog share.
 */
export function CloudRegistryEndpointFields({
  values,
  set,
  leave,
  feedback,
  dataEndpointHint,
}: {
  values: CloudEndpointValues;
  set: (field: Field) => (e: { target: { value: string } }) => void;
  leave: (field: Field) => () => void;
  feedback: ReturnType<typeof useFieldFeedback>;
  /** what an empty data endpoint means (creating: the derived default) */
  dataEndpointHint?: (derived: string | null) => ReactNode;
}) {
  const live = {
    loginServer: liveHostIssue(values.loginServer, feedback.hasLeft('loginServer')),
    region: showLive(values.region, feedback.hasLeft('region'), /[^a-z0-9]/) ? firstIssue(fields.region, values.region) : null,
    dataEndpoint: liveHostIssue(values.dataEndpoint, feedback.hasLeft('dataEndpoint')),
  };
  const derivable = !firstIssue(fields.loginServer, values.loginServer) && !firstIssue(fields.region, values.region);
  const derived = derivable ? defaultDataEndpoint(values.loginServer.trim().toLowerCase(), values.region.trim()) : null;
  const errors = (field: Field) => mergeErrors(live[field], feedback.serverErrors(field));
  return (
    <>
      <TextField
        label="Region"
        name="region"
        value={values.region}
        onChange={set('region')}
        onBlur={leave('region')}
        placeholder="westus2"
        autoComplete="off"
        required
        errors={errors('region')}
      />
      <TextField
        label="Login server"
        name="loginServer"
        value={values.loginServer}
        onChange={set('loginServer')}
        onBlur={leave('loginServer')}
        placeholder="contoso.azurecr.io"
        autoComplete="off"
        spellCheck={false}
        required
        hint="Where clients and sync tokens authenticate."
        errors={errors('loginServer')}
      />
      <TextField
        label={dataEndpointHint ? 'Data endpoint (optional)' : 'Data endpoint'}
        name="dataEndpoint"
        value={values.dataEndpoint}
        onChange={set('dataEndpoint')}
        onBlur={leave('dataEndpoint')}
        placeholder={derived ?? 'derived from the login server and region'}
        autoComplete="off"
        spellCheck={false}
        hint={dataEndpointHint ? dataEndpointHint(derived) : 'Where its connected registries exchange sync messages (https).'}
        errors={errors('dataEndpoint')}
        className="sm:col-span-2"
      />
    </>
  );
}
