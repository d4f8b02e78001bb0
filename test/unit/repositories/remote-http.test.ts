import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../src/repositories/http/remote-http.js';
import { nextLink } from '../../../src/repositories/registry-client.js';

describe('auth challenges and pagination links', () => {
  it('parses Bearer and Basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="registry",scope="repository:team/app:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry', scope: 'repository:team/app:pull' },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: 'basic', params: { realm: 'x' } });
    expect(parseChallenge(undefined)).toBeUndefined();
  });

  it('follows only same-origin next links', () => {
    expect(nextLink('</v2/_catalog?last=b&n=100>; rel="next"')).toBe('/v2/_catalog?last=b&n=100');
    expect(nextLink('<https://evil.example/v2/_catalog?last=b>; rel="next"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });
});
