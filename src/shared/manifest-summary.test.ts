import { describe, expect, it } from 'vitest';
import { summarizeManifest, totalSizeOf } from './manifest-summary';

const d = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;

describe('summarizeManifest', () => {
  it('reads an OCI image manifest: image config, layers, created annotation', () => {
    const raw = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d(1), size: 100 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d(2), size: 2000, annotations: { 'org.opencontainers.image.title': 'a.tgz' } }],
      annotations: { 'org.opencontainers.image.created': '2024-01-02T03:04:05Z' },
    });
    const summary = summarizeManifest(raw);
    expect(summary.kind).toBe('image');
    expect(summary.artifactType).toBeUndefined();
    expect(summary.config?.digest).toBe(d(1));
    expect(summary.layers[0]?.annotations).toEqual({ 'org.opencontainers.image.title': 'a.tgz' });
    expect(summary.created).toBe('2024-01-02T03:04:05Z');
    expect(totalSizeOf(summary, raw.length)).toBe(raw.length + 2100);
  });

  it('reads an OCI index: children with platforms, size = manifest + children', () => {
    const raw = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d(3), size: 500, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d(4), size: 501, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    });
    const summary = summarizeManifest(raw);
    expect(summary.kind).toBe('index');
    expect(summary.manifests.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    expect(summary.layers).toEqual([]);
    expect(totalSizeOf(summary, 10)).toBe(1011);
  });

  it('reads Docker schema 2 manifests and manifest lists, taking the served media type when the JSON has none', () => {
    const manifest = summarizeManifest(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: d(1), size: 10 },
        layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: d(2), size: 20 }],
      }),
    );
    expect(manifest.kind).toBe('image');
    const list = summarizeManifest(
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: d(5), size: 7, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }] }),
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
    expect(list.kind).toBe('index');
    expect(list.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  });

  it('reads an ORAS 1.0 artifact: the config media type is the artifact type', () => {
    const summary = summarizeManifest(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.acme.rocket.config', digest: d(1), size: 2 },
        layers: [],
      }),
    );
    expect(summary.kind).toBe('artifact');
    expect(summary.artifactType).toBe('application/vnd.acme.rocket.config');
  });

  it('reads an image-spec 1.1 artifact: artifactType, empty config, subject', () => {
    const summary = summarizeManifest(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.example.signature',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: d(6), size: 2 },
        layers: [{ mediaType: 'application/octet-stream', digest: d(7), size: 30 }],
        subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d(8), size: 400 },
      }),
    );
    expect(summary.kind).toBe('artifact');
    expect(summary.artifactType).toBe('application/vnd.example.signature');
    expect(summary.subject?.digest).toBe(d(8));
    expect(totalSizeOf(summary, 100)).toBe(132);
  });

  it('reads the old ORAS artifact manifest with blobs', () => {
    const summary = summarizeManifest(
      JSON.stringify({
        mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
        artifactType: 'application/vnd.example.sbom',
        blobs: [{ mediaType: 'application/json', digest: d(9), size: 12 }],
      }),
    );
    expect(summary.kind).toBe('artifact');
    expect(summary.layers).toHaveLength(1);
  });

  it('keeps only known descriptor fields and string annotations', () => {
    const summary = summarizeManifest(
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d(1), size: 1, extra: '<script>' },
        layers: [],
        annotations: { a: 'b', n: 1 },
      }),
    );
    expect(summary.config).toEqual({ mediaType: 'application/vnd.oci.image.config.v1+json', digest: d(1), size: 1 });
    expect(summary.annotations).toEqual({ a: 'b' });
  });

  it('throws clear errors for what is not a manifest', () => {
    expect(() => summarizeManifest('not json')).toThrow(/not valid JSON/);
    expect(() => summarizeManifest('[]')).toThrow(/not a JSON object/);
    expect(() => summarizeManifest('{"hello":1}')).toThrow(/not a manifest/);
    expect(() => summarizeManifest(JSON.stringify({ schemaVersion: 2, layers: 'x' }))).toThrow(/layers is not an array/);
    expect(() => summarizeManifest(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'a/b', digest: 'nope', size: 1 } }))).toThrow(/config has no valid digest/);
    expect(() => summarizeManifest(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'a/b', digest: d(1), size: -1 } }))).toThrow(/config has no valid size/);
  });
});
