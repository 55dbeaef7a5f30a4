// Server actions turn a refusal into a form's state in one place (runAction): each error by the
// form field it belongs to, listed once, and the summary in words.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { createTokenInput } from '@/lib/tokens/schemas';
import { createWebhookInput } from '@/lib/webhooks/schemas';
import { ConflictError, ValidationError, parseInput } from './errors';
import { formFieldKey, runAction } from './actions';

const refused = (schema: z.ZodType, input: unknown) =>
  runAction(async () => {
    parseInput(schema, input);
    throw new Error('expected the input to be refused');
  });

describe('formFieldKey', () => {
  it('drops list indices and what follows them, keeps an object member’s path', () => {
    expect(formFieldKey('repositories.2')).toBe('repositories');
    expect(formFieldKey('repositories.0.name')).toBe('repositories');
    expect(formFieldKey('newScopeMap.actions.3')).toBe('newScopeMap.actions');
    expect(formFieldKey('newScopeMap.name')).toBe('newScopeMap.name');
    expect(formFieldKey('garbageCollection.schedule')).toBe('garbageCollection.schedule');
    expect(formFieldKey('name')).toBe('name');
  });
});

describe('runAction', () => {
  it('files each schema issue under its form field and words the summary without the path', async () => {
    const state = await refused(createConnectedRegistryInput, {
      name: 'plant01',
      loginServer: 'plant01.factory.test',
      repositories: ['Bad Name', 'Also Bad'],
      garbageCollection: { schedule: 'not cron' },
    });
    expect(state.ok).toBe(false);
    expect(Object.keys(state.fieldErrors!).sort()).toEqual(['garbageCollection.schedule', 'repositories']);
    expect(state.fieldErrors!.repositories).toEqual([
      '"Bad Name" is not a valid repository name (lowercase, e.g. library/hello-world).',
      '"Also Bad" is not a valid repository name (lowercase, e.g. library/hello-world).',
    ]);
    expect(state.message).toBe(state.fieldErrors!.repositories[0]);
  });

  it('lists a message once under its field when several entries share it', async () => {
    const state = await runAction(async () => {
      throw new ValidationError('repositories.0: Name it once.', [
        { field: 'repositories.0', message: 'Name it once.' },
        { field: 'repositories.3', message: 'Name it once.' },
      ]);
    });
    expect(state).toEqual({ ok: false, message: 'Name it once.', fieldErrors: { repositories: ['Name it once.'] } });
  });

  it('does the same for every domain’s schema: tokens’ inline permissions, webhooks’ events', async () => {
    const token = await refused(createTokenInput, { name: 'ci-token', repositories: [{ name: 'app', actions: ['content/fly'] }] });
    expect(Object.keys(token.fieldErrors!)).toEqual(['repositories']);
    const webhook = await refused(createWebhookInput, { name: 'hook', url: 'https://example.test/hook', events: ['*', 'no.such.event'] });
    expect(Object.keys(webhook.fieldErrors!)).toEqual(['events']);
  });

  it('keeps a rule’s own field and message (a name that is taken)', async () => {
    const state = await runAction(async () => {
      throw new ConflictError('A token named ci-token exists already.', [{ field: 'name', message: 'This name is taken.' }]);
    });
    expect(state).toEqual({ ok: false, message: 'A token named ci-token exists already.', fieldErrors: { name: ['This name is taken.'] } });
    const field = await runAction(async () => {
      throw ValidationError.field('scopeMap', 'There is no scope map named x.');
    });
    expect(field.fieldErrors).toEqual({ scopeMap: ['There is no scope map named x.'] });
  });
});
