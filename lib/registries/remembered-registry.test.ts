import { describe, expect, it } from 'vitest';
import {
  REMEMBERED_REGISTRY_COOKIE,
  registryToRemember,
  rememberedOrFirst,
  rememberedRegistryCookie,
  rememberedRegistryCookieString,
} from './remembered-registry';

describe('the remembered cloud registry', () => {
  it("remembers a possible registry name from a loaded page's ?registry=, nothing else", () => {
    expect(registryToRemember(new URLSearchParams('registry=contoso'))).toBe('contoso');
    expect(registryToRemember(new URLSearchParams('q=x'))).toBeNull();
    expect(registryToRemember(new URLSearchParams('registry='))).toBeNull();
    expect(registryToRemember(new URLSearchParams('registry=a%3Bpath%3D%2Fx'))).toBeNull();
    expect(registryToRemember(new URLSearchParams('registry=9starts-with-digit'))).toBeNull();
    expect(registryToRemember(new URLSearchParams(`registry=${'a'.repeat(51)}`))).toBeNull();
    // two values name no single registry
    expect(registryToRemember(new URLSearchParams('registry=one&registry=two'))).toBeNull();
  });

  it("is set by the proxy as a cookie that the picker's script can overwrite", () => {
    expect(rememberedRegistryCookie('contoso', true)).toMatchObject({
      name: REMEMBERED_REGISTRY_COOKIE,
      value: 'contoso',
      path: '/',
      httpOnly: false,
      sameSite: 'lax',
      secure: true,
    });
    expect(rememberedRegistryCookie('contoso', false).secure).toBe(false);
  });

  it('is written by the picker with the same attributes: the whole portal, SameSite=Lax, a year, secure over https', () => {
    expect(rememberedRegistryCookieString('contoso', false)).toBe('canopy-cloud-registry=contoso; Path=/; Max-Age=31536000; SameSite=Lax');
    expect(rememberedRegistryCookieString('Contoso2', true)).toBe(
      'canopy-cloud-registry=Contoso2; Path=/; Max-Age=31536000; SameSite=Lax; Secure',
    );
  });

  it('is never written for a name no registry can have', () => {
    expect(rememberedRegistryCookieString('', false)).toBeNull();
    expect(rememberedRegistryCookieString('a;path=/x', false)).toBeNull();
    expect(rememberedRegistryCookieString('9starts-with-digit', false)).toBeNull();
    expect(rememberedRegistryCookieString('a'.repeat(51), false)).toBeNull();
    expect(rememberedRegistryCookieString('a'.repeat(50), false)).not.toBeNull();
  });

  it('chooses the remembered registry while it exists (any case), else the first', () => {
    const options = [{ name: 'alpha' }, { name: 'Beta' }];
    expect(rememberedOrFirst(options, 'beta')).toEqual({ name: 'Beta' });
    expect(rememberedOrFirst(options, 'gone')).toEqual({ name: 'alpha' });
    expect(rememberedOrFirst(options, undefined)).toEqual({ name: 'alpha' });
    expect(rememberedOrFirst([], 'beta')).toBeNull();
  });
});
