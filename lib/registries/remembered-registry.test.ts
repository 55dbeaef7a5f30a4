import { describe, expect, it } from 'vitest';
import { REMEMBERED_REGISTRY_COOKIE, registryToRemember, rememberedOrFirst, rememberedRegistryCookie } from './remembered-registry';

describe('the remembered cloud registry', () => {
  it('remembers a possible registry name from ?registry=, nothing else', () => {
    expect(registryToRemember(new URLSearchParams('registry=contoso'))).toBe('contoso');
    expect(registryToRemember(new URLSearchParams('q=x'))).toBeNull();
    expect(registryToRemember(new URLSearchParams('registry='))).toBeNull();
    expect(registryToRemember(new URLSearchParams('registry=a%3Bpath%3D%2Fx'))).toBeNull();
    expect(registryToRemember(new URLSearchParams('registry=9starts-with-digit'))).toBeNull();
    expect(registryToRemember(new URLSearchParams(`registry=${'a'.repeat(51)}`))).toBeNull();
    // two values name no single registry
    expect(registryToRemember(new URLSearchParams('registry=one&registry=two'))).toBeNull();
  });

  it('is an httpOnly, SameSite=Lax cookie for the whole portal, secure over https', () => {
    expect(rememberedRegistryCookie('contoso', true)).toMatchObject({
      name: REMEMBERED_REGISTRY_COOKIE,
      value: 'contoso',
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
    });
    expect(rememberedRegistryCookie('contoso', false).secure).toBe(false);
  });

  it('chooses the remembered registry while it exists (any case), else the first', () => {
    const options = [{ name: 'alpha' }, { name: 'Beta' }];
    expect(rememberedOrFirst(options, 'beta')).toEqual({ name: 'Beta' });
    expect(rememberedOrFirst(options, 'gone')).toEqual({ name: 'alpha' });
    expect(rememberedOrFirst(options, undefined)).toEqual({ name: 'alpha' });
    expect(rememberedOrFirst([], 'beta')).toBeNull();
  });
});
