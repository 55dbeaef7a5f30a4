import { describe, expect, it } from 'vitest';
import { AppError, ForbiddenError } from '@/lib/errors';
import { hasRole, requireRole, type Actor } from './roles';

const actor = (role: Actor['role']): Actor => ({ adminId: 'a', email: `${role}@x.test`, name: role, role, via: 'session' });

describe('hasRole', () => {
  it('orders the roles Owner > Contributor > Reader', () => {
    expect(hasRole(actor('Owner'), 'Owner')).toBe(true);
    expect(hasRole(actor('Owner'), 'Contributor')).toBe(true);
    expect(hasRole(actor('Owner'), 'Reader')).toBe(true);

    expect(hasRole(actor('Contributor'), 'Owner')).toBe(false);
    expect(hasRole(actor('Contributor'), 'Contributor')).toBe(true);
    expect(hasRole(actor('Contributor'), 'Reader')).toBe(true);

    expect(hasRole(actor('Reader'), 'Owner')).toBe(false);
    expect(hasRole(actor('Reader'), 'Contributor')).toBe(false);
    expect(hasRole(actor('Reader'), 'Reader')).toBe(true);
  });
});

describe('requireRole', () => {
  it('returns the actor when the role is enough', () => {
    const owner = actor('Owner');
    expect(requireRole(owner, 'Contributor')).toBe(owner);
    expect(requireRole(actor('Reader'), 'Reader').role).toBe('Reader');
  });

  it('throws a ForbiddenError with status 403 when the role is too low', () => {
    let caught: unknown;
    try {
      requireRole(actor('Reader'), 'Contributor');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ForbiddenError);
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as ForbiddenError).status).toBe(403);
    expect((caught as ForbiddenError).code).toBe('forbidden');
    expect((caught as ForbiddenError).message).toBe('This needs the Contributor role; you are a Reader.');
  });

  it('refuses a Contributor what needs an Owner', () => {
    expect(() => requireRole(actor('Contributor'), 'Owner')).toThrow(ForbiddenError);
  });
});
