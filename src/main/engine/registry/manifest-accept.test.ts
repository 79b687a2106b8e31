import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import type { RegistryClient } from '../transport/client';
import type { HttpRequest } from '../transport/http';
import { Repository } from './repository';

const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(Buffer.from('{}')), size: 2 }, layers: [] }));

/** recordingClient answers every manifest request with `manifest`, keeping the requests. */
function recordingClient(): { client: RegistryClient; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const client = {
    registry: 'r.example',
    baseUrl: new URL('https://r.example'),
    send: async (request: HttpRequest) => {
      requests.push(request);
      const headers = { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': digestOf(manifest), 'content-length': String(manifest.byteLength) };
      return { status: 200, headers, body: Readable.from(request.method === 'HEAD' ? [] : [manifest]), url: request.url };
    },
    auth: { hasCredential: async () => false },
    close: async () => {},
  } as unknown as RegistryClient;
  return { client, requests };
}

describe('manifestMediaTypes: the Accept of manifest requests', () => {
  it('asks for every type the engine reads by default', async () => {
    const { client, requests } = recordingClient();
    await new Repository(client, 'team/app').fetchManifest('v1');
    expect(requests[0]!.headers?.accept).toContain('application/vnd.oci.image.index.v1+json');
    expect(requests[0]!.headers?.accept).toContain('application/vnd.docker.distribution.manifest.v2+json');
  });

  it('asks for the given types only, in GETs and HEADs, on a copy that shares the connections', async () => {
    const { client, requests } = recordingClient();
    const repository = new Repository(client, 'team/app');
    const narrowed = repository.withOptions({ manifestMediaTypes: ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.example+json'] });
    await narrowed.fetchManifest('v1');
    await narrowed.resolve('v1');
    expect(requests.map((r) => [r.method, r.headers?.accept])).toEqual([
      ['GET', 'application/vnd.oci.image.manifest.v1+json, application/vnd.example+json'],
      ['HEAD', 'application/vnd.oci.image.manifest.v1+json, application/vnd.example+json'],
    ]);
    expect(narrowed.ctx.client).toBe(repository.ctx.client);
    await repository.resolve('v1');
    expect(requests[2]!.headers?.accept).toContain('application/vnd.oci.image.index.v1+json');
  });
});
