import { describe, expect, it } from 'vitest';
import { crumbsOf } from './Breadcrumb';
import { linkTo } from './Toolbar';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('crumbsOf', () => {
  it('steps from the registry down to the view', () => {
    expect(crumbsOf({ name: 'home' })).toEqual([]);
    expect(crumbsOf({ name: 'repositories', registry: 'local' }).map((c) => c.label)).toEqual(['Local OCI layout']);
    const manifest = crumbsOf({ name: 'manifest', registry: 'h:5000', repository: 'team/app', tag: 'v1' });
    expect(manifest.map((c) => c.label)).toEqual(['h:5000', 'team/app', ':v1']);
    expect(manifest[1]!.route).toEqual({ name: 'tags', registry: 'h:5000', repository: 'team/app' });
    const blob = crumbsOf({ name: 'blob', registry: 'h', repository: 'a', digest: DIGEST });
    expect(blob.map((c) => c.label)).toEqual(['h', 'a', `blob sha256:${'ab'.repeat(6)}`]);
    expect(blob[2]!.title).toBe(DIGEST);
    expect(crumbsOf({ name: 'manifest', registry: 'h', repository: 'a', digest: DIGEST })[2]!.title).toBe(DIGEST);
  });
});

describe('linkTo', () => {
  it('is origin, path and hash: never the query, where browser mode carries its token', () => {
    const base = { origin: 'http://127.0.0.1:4000', pathname: '/' };
    expect(linkTo({ name: 'tags', registry: 'h:5000', repository: 'team/app' }, base)).toBe('http://127.0.0.1:4000/#/r/h:5000/team/app');
    expect(linkTo({ name: 'repositories', registry: 'local' }, { origin: 'app://oras', pathname: '/index.html' })).toBe('app://oras/index.html#/r/local');
  });
});
