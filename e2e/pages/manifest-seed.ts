import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { buildCliBin } from '../../test/support/cli-bin';
import { makeTempDir, removeTempDir } from '../../test/support/tmp';

/**
 * seedManifests fills a registry with what the manifest view specs open, pushed by
 * our own `oras` (as a user would): an artifact with three titled layers (text,
 * markdown, a PNG) and a config, a second version of it, a referrer (signature), an
 * index of two platforms, and a 3 MiB random blob.
 */

export interface ManifestSeed {
  artifact: { digest: string; files: Record<string, Buffer>; layers: Record<string, string> };
  artifactV2: string;
  referrer: string;
  index: { digest: string; amd64: string; arm64: string };
  big: { digest: string; size: number };
  remove(): Promise<void>;
}

const sha256 = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** tinyPng is a 4×4 RGBA PNG (a blue square), made here so the test has no binary fixture. */
export function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const row = Buffer.from([0, ...Array.from({ length: 4 }, () => [0x0b, 0x5c, 0xad, 0xff]).flat()]);
  const pixels = Buffer.concat([row, row, row, row]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

export async function seedManifests(host: string): Promise<ManifestSeed> {
  const cli = await buildCliBin();
  const dir = await makeTempDir('oras-e2e-seed-');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
  const oras = async (...args: string[]): Promise<{ digest: string; size: number }> => {
    const result = await cli.run([...args, '--format', 'json'], { cwd: dir, env });
    if (result.code !== 0) throw new Error(`oras ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as { digest: string; size: number };
  };
  try {
    const files: Record<string, Buffer> = {
      'rocket.txt': Buffer.from('🚀 to the moon\n'),
      'notes.md': Buffer.from('# Notes\n\nThe first version.\n'),
      'logo.png': tinyPng(),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
    await writeFile(path.join(dir, 'config.json'), '{"version":1}');
    const config = ['--config', 'config.json:application/vnd.demo.config.v1+json', '--artifact-type', 'application/vnd.demo.docs.v1'];
    const v1 = await oras('push', `${host}/docs/artifact:v1`, 'rocket.txt:text/plain', 'notes.md:text/markdown', 'logo.png:image/png', ...config);

    const v2dir = await makeTempDir('oras-e2e-seed-v2-');
    let v2: { digest: string };
    try {
      await writeFile(path.join(v2dir, 'rocket.txt'), files['rocket.txt']!);
      await writeFile(path.join(v2dir, 'notes.md'), '# Notes\n\nThe second version.\n');
      await writeFile(path.join(v2dir, 'extra.txt'), 'new in v2\n');
      await writeFile(path.join(v2dir, 'config.json'), '{"version":1}');
      const result = await cli.run(['push', `${host}/docs/artifact:v2`, 'rocket.txt:text/plain', 'notes.md:text/markdown', 'extra.txt:text/plain', ...config, '--format', 'json'], { cwd: v2dir, env });
      if (result.code !== 0) throw new Error(`oras push v2 failed: ${result.stderr}`);
      v2 = JSON.parse(result.stdout) as { digest: string };
    } finally {
      await removeTempDir(v2dir);
    }

    await writeFile(path.join(dir, 'signature.txt'), 'signed by the e2e test\n');
    const referrer = await oras('attach', '--artifact-type', 'application/vnd.demo.signature', `${host}/docs/artifact:v1`, 'signature.txt:text/plain');

    await writeFile(path.join(dir, 'amd64.txt'), 'for amd64\n');
    await writeFile(path.join(dir, 'arm64.txt'), 'for arm64\n');
    const amd64 = await oras('push', `${host}/multi/app:amd64`, 'amd64.txt:text/plain', '--artifact-type', 'application/vnd.demo.app.v1');
    const arm64 = await oras('push', `${host}/multi/app:arm64`, 'arm64.txt:text/plain', '--artifact-type', 'application/vnd.demo.app.v1');
    const manifestType = 'application/vnd.oci.image.manifest.v1+json';
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: manifestType, digest: amd64.digest, size: amd64.size, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: manifestType, digest: arm64.digest, size: arm64.size, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    };
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
    const pushedIndex = await oras('manifest', 'push', `${host}/multi/app:v1`, 'index.json');

    const big = randomBytes(3 * 1024 * 1024);
    await writeFile(path.join(dir, 'big.bin'), big);
    await oras('push', `${host}/big/blob:v1`, 'big.bin:application/octet-stream');

    return {
      artifact: { digest: v1.digest, files, layers: Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256(bytes)])) },
      artifactV2: v2.digest,
      referrer: referrer.digest,
      index: { digest: pushedIndex.digest, amd64: amd64.digest, arm64: arm64.digest },
      big: { digest: sha256(big), size: big.length },
      remove: () => removeTempDir(dir),
    };
  } finally {
    await cli.remove();
  }
}
