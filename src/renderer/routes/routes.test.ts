import { describe, expect, it } from 'vitest';
import { href, parseRoute, routeOfReference, type Route } from './routes';

const D = `sha256:${'a'.repeat(64)}`;

describe('routes', () => {
  const cases: [string, Route][] = [
    ['#/', { name: 'home' }],
    ['#/push', { name: 'push' }],
    ['#/r/local', { name: 'repositories', registry: 'local' }],
    ['#/r/localhost:5000', { name: 'repositories', registry: 'localhost:5000' }],
    ['#/r/localhost:5000/team/app/x', { name: 'tags', registry: 'localhost:5000', repository: 'team/app/x' }],
    ['#/r/localhost:5000/team/app:v1.0', { name: 'manifest', registry: 'localhost:5000', repository: 'team/app', tag: 'v1.0' }],
    [`#/r/ghcr.io/a/b@${D}`, { name: 'manifest', registry: 'ghcr.io', repository: 'a/b', digest: D }],
    [`#/r/local/blobs/blobs/${D}`, { name: 'blob', registry: 'local', repository: 'blobs', digest: D }],
    [`#/r/127.0.0.1:5000/a/blobs/x/blobs/${D}`, { name: 'blob', registry: '127.0.0.1:5000', repository: 'a/blobs/x', digest: D }],
  ];

  it.each(cases)('%s round-trips', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(href(route)).toBe(hash);
  });

  it('reads encoded and untidy hashes, and treats the unreadable as home', () => {
    expect(parseRoute('#/r/localhost%3A5000/a%2Fb')).toEqual({ name: 'tags', registry: 'localhost:5000', repository: 'a/b' });
    expect(parseRoute('#//r/local/a/')).toEqual({ name: 'tags', registry: 'local', repository: 'a' });
    expect(parseRoute('#/x/y')).toEqual({ name: 'home' });
    expect(parseRoute('#/r/%E0%A4%A')).toEqual({ name: 'home' });
    expect(parseRoute('')).toEqual({ name: 'home' });
  });

  it('opens typed and pasted references', () => {
    expect(routeOfReference('localhost:5000/mystuff/myrocket:v0.1.0')).toEqual({
      name: 'manifest', registry: 'localhost:5000', repository: 'mystuff/myrocket', tag: 'v0.1.0',
    });
    expect(routeOfReference(` ghcr.io/oras-project/oras@${D} `)).toEqual({
      name: 'manifest', registry: 'ghcr.io', repository: 'oras-project/oras', digest: D,
    });
    expect(routeOfReference('team/app', 'localhost:5000')).toEqual({ name: 'tags', registry: 'localhost:5000', repository: 'team/app' });
    expect(routeOfReference('team/app')).toBeUndefined();
    expect(routeOfReference('http://localhost:5000/x#/r/local/a:b')).toEqual({ name: 'manifest', registry: 'local', repository: 'a', tag: 'b' });
    expect(routeOfReference('localhost:5000/')).toEqual({ name: 'repositories', registry: 'localhost:5000' });
    expect(routeOfReference('   ')).toBeUndefined();
  });
});
