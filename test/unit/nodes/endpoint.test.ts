import { describe, expect, it } from 'vitest';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import { normalizeEndpoint, parseEndpoint } from '../../../src/repositories/docker/endpoint.js';

describe('Docker endpoints', () => {
  it.each([
    ['unix:///var/run/docker.sock', 'unix:///var/run/docker.sock'],
    ['unix:///var/run//./docker.sock', 'unix:///var/run/docker.sock'],
    ['  tcp://127.0.0.1:2376  ', 'tcp://127.0.0.1:2376'],
    ['tcp://Docker.Example.COM:2376/', 'tcp://docker.example.com:2376'],
    ['tcp://[::1]:2376', 'tcp://[::1]:2376'],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeEndpoint(input)).toBe(expected);
  });

  it('parses both kinds', () => {
    expect(parseEndpoint('unix:///run/docker.sock')).toEqual({ kind: 'unix', socketPath: '/run/docker.sock' });
    expect(parseEndpoint('tcp://[::1]:2376')).toEqual({ kind: 'tcp', host: '::1', port: 2376 });
  });

  it.each([
    'http://127.0.0.1:2375',
    'npipe:////./pipe/docker_engine',
    '/var/run/docker.sock',
    'unix://',
    'unix://relative.sock',
    'unix:///var/run/',
    'tcp://host',
    'tcp://:2376',
    'tcp://host:0',
    'tcp://host:70000',
    'tcp://user:pw@host:2376',
    'tcp://host:2376/v1.41',
    'tcp://host:2376?x=1',
    '',
  ])('rejects %j with BAD_INPUT naming it', (input) => {
    let err: unknown;
    try {
      parseEndpoint(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlimsollError);
    expect((err as PlimsollError).code).toBe(ErrorCode.BAD_INPUT);
    expect((err as PlimsollError).message).toContain(JSON.stringify(input));
  });
});
