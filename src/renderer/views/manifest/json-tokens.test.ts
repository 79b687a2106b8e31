import { describe, expect, it } from 'vitest';
import { jsonLines, lineText } from './json-tokens';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const where = { registry: '127.0.0.1:5000', repository: 'team/app' };

describe('jsonLines', () => {
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D('a'), size: 532, platform: { os: 'linux', architecture: 'amd64' } }],
    subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D('b'), size: 1 },
    layers: [{ mediaType: 'text/plain', digest: D('c'), size: 3, annotations: {} }],
    empty: [],
    flags: [true, null, 1.5],
    note: 'say "hi" <b>',
  };

  it('writes the same text as JSON.stringify(…, null, 2)', () => {
    expect(jsonLines(manifest, where).map(lineText).join('\n')).toBe(JSON.stringify(manifest, null, 2));
    for (const v of [1, 'x', null, [], {}, [[]], { a: { b: [1, { c: 'd' }] } }]) {
      expect(jsonLines(v, where).map(lineText).join('\n')).toBe(JSON.stringify(v, null, 2));
    }
  });

  it('links digests of manifests to the manifest route and of blobs to the blob route', () => {
    const links = jsonLines(manifest, where).flatMap((l) => l.tokens).filter((t) => t.kind === 'digest');
    expect(links.map((t) => t.link)).toEqual([
      `#/r/127.0.0.1:5000/team/app@${D('a')}`,
      `#/r/127.0.0.1:5000/team/app@${D('b')}`,
      `#/r/127.0.0.1:5000/team/app/blobs/${D('c')}`,
    ]);
  });

  it('marks keys, strings, numbers and literals, and does not link digest-looking text elsewhere', () => {
    const tokens = jsonLines({ a: D('e'), n: 2, t: false }, where).flatMap((l) => l.tokens);
    expect(tokens.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['"a"', '"n"', '"t"']);
    expect(tokens.find((t) => t.kind === 'string')?.text).toBe(JSON.stringify(D('e')));
    expect(tokens.find((t) => t.kind === 'number')?.text).toBe('2');
    expect(tokens.find((t) => t.kind === 'literal')?.text).toBe('false');
    expect(tokens.some((t) => t.kind === 'digest')).toBe(false);
  });
});
