import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pushRocket } from '../examples/rocket';
import { startRegistry, type Registry } from './support/registry';

// The seed's Go example, typed in TypeScript, against a real registry: the manifest
// it writes is byte for byte the one the seed shows.
describe('the library: the seed example in TypeScript', () => {
  let server: Registry;
  beforeAll(async () => {
    server = await startRegistry();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('pushes the rocket with the seed digests', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const ref = await pushRocket(server.host);
    expect(ref).toBe(`${server.host}/mystuff/myrocket:v0.1.0`);
    const response = await fetch(`${server.url}/v2/mystuff/myrocket/manifests/v0.1.0`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(response.headers.get('docker-content-digest')).toBe('sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608');
    expect(await response.json()).toEqual({
      schemaVersion: 2,
      config: {
        mediaType: 'application/vnd.acme.rocket.config.v1+json',
        digest: 'sha256:310175f34d2d4d5cba3418be06ddd1ef948147d729516d78318ec7f5c2d83d49',
        size: 26,
      },
      layers: [
        {
          mediaType: 'text/plain',
          digest: 'sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5',
          size: 4,
          annotations: { 'org.opencontainers.image.title': 'rocket.txt' },
        },
      ],
    });
    const blob = await fetch(`${server.url}/v2/mystuff/myrocket/blobs/sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5`);
    expect(await blob.text()).toBe('🚀');
  });
});
