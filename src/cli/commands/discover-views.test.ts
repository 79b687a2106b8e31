import { describe, expect, it } from 'vitest';
import type { ReferrerNode } from '../../main/engine/oras/discover';
import { discoverModel, tableLines, treeLines, yamlEntry } from './discover-views';

const d = (n: string): string => `sha256:${n.repeat(64)}`;
const node = (digest: string, artifactType: string | undefined, referrers: ReferrerNode[] = [], annotations?: Record<string, string>): ReferrerNode => ({
  descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 10, ...(artifactType ? { artifactType } : {}), ...(annotations ? { annotations } : {}) },
  referrers,
});

const ROOT = node(d('0'), undefined, [
  node(d('1'), 'application/vnd.example.sbom', [node(d('3'), 'application/vnd.example.sig')], { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z', team: 'rockets' }),
  node(d('2'), 'application/vnd.example.sig'),
  node(d('4'), undefined),
]);

describe('oras discover views, as ORAS 1.3 draws them', () => {
  it('draws the tree grouped by artifact type, with annotation nodes before the referrers of a referrer', () => {
    expect(treeLines(ROOT, `r/a@${d('0')}`)).toEqual([
      `r/a@${d('0')}`,
      '├── application/vnd.example.sbom',
      `│   └── ${d('1')}`,
      '│       ├── [annotations]',
      '│       │   ├── org.opencontainers.image.created: "2024-01-01T00:00:00Z"',
      '│       │   └── team: rockets',
      '│       └── application/vnd.example.sig',
      `│           └── ${d('3')}`,
      '├── application/vnd.example.sig',
      `│   └── ${d('2')}`,
      '└── <unknown>',
      `    └── ${d('4')}`,
    ]);
  });

  it('prints the table with the Digest line, artifact type first, and each descriptor (verbose, the default)', () => {
    const lines = tableLines({ ...ROOT, referrers: ROOT.referrers.slice(1, 2) }, 'r/a:v1');
    expect(lines.slice(0, 5)).toEqual([
      'Discovered 1 artifact referencing r/a:v1',
      `Digest: ${d('0')}`,
      '',
      'Artifact Type                 Digest',
      `application/vnd.example.sig   ${d('2')}`,
    ]);
    expect(JSON.parse(lines.slice(5).join('\n'))).toEqual({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('2'), size: 10, artifactType: 'application/vnd.example.sig' });
    expect(tableLines(node(d('0'), undefined), 'r/a:v1')).toEqual(['Discovered 0 artifacts referencing r/a:v1', `Digest: ${d('0')}`]);
  });

  it('nests the JSON model under referrers, recursively', () => {
    const model = discoverModel(ROOT, 'r/a') as { referrers: Array<{ reference: string; referrers: Array<{ digest: string; referrers: unknown[] }> }> };
    expect(Object.keys(model)).toEqual(['reference', 'mediaType', 'digest', 'size', 'referrers']);
    expect(model.referrers[0]!.reference).toBe(`r/a@${d('1')}`);
    expect(model.referrers[0]!.referrers[0]!.digest).toBe(d('3'));
    expect(model.referrers[0]!.referrers[0]!.referrers).toEqual([]);
  });

  it('writes annotations as YAML does: plain, or quoted where YAML would read another type', () => {
    expect(yamlEntry('a', 'plain text')).toBe('a: plain text');
    expect(yamlEntry('size', '42')).toBe('size: "42"');
    expect(yamlEntry('n', 'on')).toBe('"n": "on"');
    expect(yamlEntry('b', 'true')).toBe('b: "true"');
    expect(yamlEntry('c', 'x: y')).toBe('c: "x: y"');
    expect(yamlEntry('e', '')).toBe('e: ""');
  });
});
