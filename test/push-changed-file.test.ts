import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../src/main/engine/content/file-store';
import { push } from '../src/main/engine/oras/push';
import { Registry } from '../src/main/engine/registry/registry';
import { rejection } from '../src/main/engine/testing/expect-error';
import { startRegistry, type Registry as TestRegistry } from './support/registry';
import { useTempDirs } from './support/tmp';

const MiB = 1024 * 1024;

/**
 * A file pushed to a registry is hashed once (when added): the registry checks the
 * digest the upload is closed with, so a file changed since it was hashed is refused
 * there, and no tag is written.
 */
describe('a file changed after it was hashed', () => {
  const tempDir = useTempDirs('oras-changed-');
  let server: TestRegistry;
  let registry: Registry;

  beforeAll(async () => {
    server = await startRegistry();
    registry = new Registry(server.host);
  });
  afterAll(async () => {
    await registry?.close();
    await server?.stop();
  });

  it.each([
    ['in one PUT', 2 * MiB],
    ['in PATCHed ranges', 33 * MiB],
  ])('is refused by the registry when sent %s, and no tag is written', async (_how, size) => {
    const dir = await tempDir();
    const file = path.join(dir, 'data.bin');
    await writeFile(file, randomBytes(size));
    const store = new FileStore(dir);
    try {
      const layer = await store.add('data.bin', 'application/octet-stream');
      await writeFile(file, randomBytes(size));
      const repository = registry.repository(`changed/${size}`);
      const err = await rejection(push(store, repository, 'v1', { layers: [layer], created: false }));
      expect(err.code).toBe('DIGEST_MISMATCH');
      expect(err.message).toContain('"data.bin" is not the content hashed as sha256:');
      expect(err.message).toContain('changed since it was read; push again');
      expect(await repository.exists(layer)).toBe(false);
      expect((await rejection(repository.resolve('v1'))).code).toBe('NOT_FOUND');
    } finally {
      await store.close();
    }
  });
});
