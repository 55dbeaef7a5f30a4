import { describe, expect, it } from 'vitest';
import { strictTransportSecurity } from './config';

describe('strictTransportSecurity', () => {
  it('is sent when CANOPY_PUBLIC_URL is https, for a year with subdomains', () => {
    expect(strictTransportSecurity({ NODE_ENV: 'production', CANOPY_PUBLIC_URL: 'https://canopy.example.com' })).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(strictTransportSecurity({ NODE_ENV: 'production', CANOPY_PUBLIC_URL: 'HTTPS://Canopy.example.com/' })).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('is not sent over plain http (nor by default, http://localhost)', () => {
    expect(strictTransportSecurity({ NODE_ENV: 'production', CANOPY_PUBLIC_URL: 'http://canopy.example.com' })).toBeUndefined();
    expect(strictTransportSecurity({ NODE_ENV: 'production' })).toBeUndefined();
  });
});
