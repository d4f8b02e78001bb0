import { describe, expect, it } from 'vitest';
import { parseImageReference, repositoryName } from '../../../src/domain/image-reference.js';
import { repositorySelected } from '../../../src/domain/supply-chain.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it('normalises Docker Hub names and keeps registry hosts', () => {
    expect(parseImageReference('busybox')).toEqual({ host: 'docker.io', path: 'library/busybox' });
    expect(parseImageReference('busybox:1.36')).toEqual({ host: 'docker.io', path: 'library/busybox', tag: '1.36' });
    expect(parseImageReference('team/app')).toEqual({ host: 'docker.io', path: 'team/app' });
    expect(parseImageReference('index.docker.io/library/busybox')).toEqual({ host: 'docker.io', path: 'library/busybox' });
    expect(parseImageReference(`127.0.0.1:5000/team/app:1.0@${D}`)).toEqual({ host: '127.0.0.1:5000', path: 'team/app', tag: '1.0', digest: D });
    expect(parseImageReference('localhost/app')).toEqual({ host: 'localhost', path: 'app' });
    expect(parseImageReference('registry.example.mil/app')).toEqual({ host: 'registry.example.mil', path: 'app' });
    expect(repositoryName(parseImageReference('busybox')!)).toBe('docker.io/library/busybox');
  });

  it('refuses what is not a reference', () => {
    for (const bad of ['', 'UPPER/case', 'app@sha256:short', 'a//b', `${'a'.repeat(64)}`, 'app:bad tag']) expect(parseImageReference(bad), bad).toBeUndefined();
  });
});

describe('repositorySelected', () => {
  it('matches exact names and prefix/* patterns; no list selects all', () => {
    expect(repositorySelected('team/app', undefined)).toBe(true);
    expect(repositorySelected('team/app', ['team/*'])).toBe(true);
    expect(repositorySelected('teamx/app', ['team/*'])).toBe(false);
    expect(repositorySelected('app', ['app'])).toBe(true);
    expect(repositorySelected('app2', ['app'])).toBe(false);
  });
});
