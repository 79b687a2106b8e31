import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnownType, suggestMediaTypes } from './media-types';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'media-types-'));
  await mkdir(path.join(work, 'mychart', 'templates'), { recursive: true });
  await writeFile(path.join(work, 'mychart', 'Chart.yaml'), 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n');
  await writeFile(path.join(work, 'mychart', 'templates', 'cm.yaml'), 'kind: ConfigMap\n');
  await create({ gzip: true, file: path.join(work, 'mychart-0.1.0.tgz'), cwd: work, portable: true }, ['mychart']);
  await mkdir(path.join(work, 'plain'));
  await writeFile(path.join(work, 'plain', 'a.txt'), 'a');
  await create({ gzip: true, file: path.join(work, 'plain.tar.gz'), cwd: work, portable: true }, ['plain']);
  await create({ file: path.join(work, 'plain.tar'), cwd: work, portable: true }, ['plain']);
  await writeFile(path.join(work, 'rocket.txt'), '🚀');
  await writeFile(path.join(work, 'module.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  await writeFile(path.join(work, 'sbom.json'), JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'x', packages: [] }));
  await writeFile(path.join(work, 'bom.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [] }));
  await writeFile(path.join(work, 'logo'), Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'));
  await writeFile(path.join(work, 'layer.tar.zst'), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00]));
  await writeFile(path.join(work, 'signature.sig'), '{"payload":"e30","protected":"e30","signature":"c2ln"}');
  await writeFile(path.join(work, 'attestation.json'), JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [] }));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const suggest = (name: string, recent: string[] = []) =>
  suggestMediaTypes({ name, path: path.join(work, name), kind: name === 'mychart' ? 'directory' : 'file' }, recent);
const first = async (name: string) => (await suggest(name))[0]?.mediaType;

describe('suggestMediaTypes', () => {
  it('knows a Helm chart by the Chart.yaml inside, and a plain tar+gzip as an OCI layer', async () => {
    expect(await first('mychart-0.1.0.tgz')).toBe(KnownType.HelmChart);
    const plain = await suggest('plain.tar.gz');
    expect(plain[0]).toMatchObject({ mediaType: KnownType.TarGzip, source: 'oras' });
    expect(plain.map((s) => s.mediaType)).not.toContain(KnownType.HelmChart);
    expect(await first('plain.tar')).toBe(KnownType.Tar);
    expect(await first('layer.tar.zst')).toBe(KnownType.TarZstd);
  });

  it('ranks OCI/ORAS types, then the content, then the extension, then ORAS\'s default, then recent ones; each says why', async () => {
    const rocket = await suggest('rocket.txt', ['application/vnd.acme.rocket.config.v1+json', 'text/plain']);
    expect(rocket.map((s) => [s.mediaType, s.source])).toEqual([
      ['text/plain', 'extension'],
      ['application/vnd.oci.image.layer.v1.tar', 'default'],
      ['application/vnd.acme.rocket.config.v1+json', 'recent'],
    ]);
    expect(rocket[0]!.reason).toMatch(/\.txt extension/);
    expect(await first('module.wasm')).toBe(KnownType.Wasm);
    expect(await first('sbom.json')).toBe(KnownType.Spdx);
    expect(await first('bom.json')).toBe(KnownType.CycloneDx);
    expect(await first('attestation.json')).toBe(KnownType.InToto);
    expect(await first('signature.sig')).toBe(KnownType.NotationJws);
    const logo = await suggest('logo');
    expect(logo[0]).toMatchObject({ mediaType: 'image/png', source: 'content' });
    expect(logo[0]!.reason).toMatch(/PNG/);
  });

  it('suggests tar+gzip for a folder, as ORAS packs it', async () => {
    expect(await suggest('mychart')).toEqual([expect.objectContaining({ mediaType: KnownType.TarGzip, source: 'oras' })]);
  });
});
