import { describe, expect, it } from 'vitest';
import { parseTheme, themeCookie } from './theme';

describe('parseTheme', () => {
  it('reads the three choices', () => {
    expect(parseTheme('system')).toBe('system');
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('dark')).toBe('dark');
  });

  it('falls back to the system setting for a missing, stale or forged value', () => {
    expect(parseTheme(undefined)).toBe('system');
    expect(parseTheme('')).toBe('system');
    expect(parseTheme('Dark')).toBe('system');
    expect(parseTheme('dark" onload="x')).toBe('system');
  });
});

describe('themeCookie', () => {
  it('remembers the choice for a year on every path', () => {
    expect(themeCookie('dark')).toBe('canopy-theme=dark; Path=/; Max-Age=31536000; SameSite=Lax');
  });
});
