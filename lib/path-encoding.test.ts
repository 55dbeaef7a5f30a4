import { describe, expect, it } from 'vitest';
import { literalPath, malformedPathSegment } from './path-encoding';

describe('malformedPathSegment', () => {
  it('finds a stray % and a cut UTF-8 sequence', () => {
    expect(malformedPathSegment('/connected-registries/%zz')).toBe('%zz');
    expect(malformedPathSegment('/tokens/%E0%A4%A')).toBe('%E0%A4%A');
    expect(malformedPathSegment('/tokens/%')).toBe('%');
    expect(malformedPathSegment('/api/v1/registries/a%2/tokens')).toBe('a%2');
  });

  it('passes paths that decode, encoded slashes and non-ASCII included', () => {
    expect(malformedPathSegment('/tokens/pos-01')).toBeNull();
    expect(malformedPathSegment('/tokens/%E0%A4%A4')).toBeNull();
    expect(malformedPathSegment('/api/v1/admins/a%25b%2Fc')).toBeNull();
    expect(malformedPathSegment('/')).toBeNull();
  });
});

describe('literalPath', () => {
  it('escapes the % of the segments that do not decode, and only theirs', () => {
    expect(literalPath('/connected-registries/%zz')).toBe('/connected-registries/%25zz');
    expect(literalPath('/tokens/%E0%A4%A')).toBe('/tokens/%25E0%25A4%25A');
    expect(literalPath('/a%20b/%zz')).toBe('/a%20b/%25zz');
    const fixed = literalPath('/tokens/%E0%A4%A');
    expect(malformedPathSegment(fixed)).toBeNull();
    expect(decodeURIComponent(fixed)).toBe('/tokens/%E0%A4%A');
  });
});
