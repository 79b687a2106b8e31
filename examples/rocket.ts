/**
 * The seed's Go example, in TypeScript: push a rocket (a brand new type of package)
 * with a custom media type and a config blob of its own, from memory.
 *
 * test/library.test.ts runs it against a real registry. In a program of your own, import
 * from 'oras-desktop' instead of '../src/lib' (the same API: the package's entry).
 */
import { MemoryStore, openRepository, push } from '../src/lib';

export async function pushRocket(registryRootURL = 'localhost:5000'): Promise<string> {
  const store = new MemoryStore();

  const registryNamespace = 'mystuff/myrocket';
  const rocketVersion = 'v0.1.0';
  const rocketFileName = 'rocket.txt';
  const rocketMediaType = 'text/plain';
  const rocketContent = '🚀';
  const rocketDescriptor = store.add(rocketFileName, rocketMediaType, rocketContent);

  const rocketConfigMediaType = 'application/vnd.acme.rocket.config.v1+json';
  const rocketConfigContent = `{"RocketVersion":"${rocketVersion}"}`;
  const rocketConfigDescriptor = store.add('', rocketConfigMediaType, rocketConfigContent);

  const ref = `${registryRootURL}/${registryNamespace}:${rocketVersion}`;
  const { registry, repository, tagOrDigest } = openRepository(ref);
  try {
    await push(store, repository, tagOrDigest!, { layers: [rocketDescriptor], config: rocketConfigDescriptor, imageSpec: 'v1.0' });
  } finally {
    await registry.close();
  }
  console.log('Pushed to', ref);
  console.log(`\nTry:\n\ncurl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' \\\n  ${registryRootURL}/v2/${registryNamespace}/manifests/${rocketVersion} | jq\n`);
  return ref;
}

