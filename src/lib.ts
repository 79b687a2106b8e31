/**
 * The ORAS Desktop library (`import … from 'oras-desktop'`, built to `dist/lib.js`): the
 * engine the app and the `oras` CLI run on, and the saved logins all three share.
 *
 * This file is the public API: every name is listed on purpose (no `export *`), so an
 * engine helper does not become API by being exported for a sibling file. Each name is
 * documented where it is defined; `src/lib.test.ts` checks that every export has a doc
 * comment and that the main verbs show an example.
 *
 * - Verbs are free functions over targets (oras-go v2's `oras` package): `push`, `pull`,
 *   `copy`, `tag`, `resolve`, `fetchManifest`, `attach`, `discover`, `packManifest`;
 *   multi-platform indexes with `createIndex`, `updateIndex` and `pushIndex`.
 * - Targets: `Repository` (a registry, from `openRepository`), `OciLayoutStore` (a folder
 *   in the OCI image layout), `TarLayoutStore` (one kept as a `.tar`, read-only),
 *   `FileStore` (files on disk), `MemoryStore`.
 * - Errors: every failure is an `OrasError` with a `code`; cancellation is an
 *   `AbortSignal` in the options, which ends the call with code `ABORTED`.
 * - Logins: `credentialProvider()` finds what `oras login`, the app or `docker login`
 *   saved; `staticCredentials` gives one explicitly.
 *
 * @example
 * ```ts
 * import { MemoryStore, openRepository, push } from 'oras-desktop';
 *
 * const store = new MemoryStore();
 * const rocket = store.add('rocket.txt', 'text/plain', '🚀');
 * const config = store.add('', 'application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
 * const { registry, repository, tagOrDigest } = openRepository('localhost:5000/mystuff/myrocket:v0.1.0');
 * try {
 *   await push(store, repository, tagOrDigest!, { layers: [rocket], config, imageSpec: 'v1.0' });
 * } finally {
 *   await registry.close();
 * }
 * ```
 * @packageDocumentation
 */

// Verbs.
export { push, type PushOptions } from './main/engine/oras/push';
export { pull, type PullOptions, type PullResult } from './main/engine/oras/pull';
export { copy, copyGraph, DEFAULT_CONCURRENCY, type CopyOptions, type CopyGraphOptions, type FindSuccessors } from './main/engine/oras/copy';
export { resolve, tag, fetchManifest, type TagOptions, type FetchedManifest } from './main/engine/oras/verbs';
export { attach, type AttachOptions } from './main/engine/oras/attach';
export { discover, type DiscoverOptions, type ReferrerNode } from './main/engine/oras/discover';
export { packManifest, EMPTY_DESCRIPTOR, type ImageSpecVersion, type PackManifestOptions } from './main/engine/oras/pack';
export { fetchBytes, pushBytes, DEFAULT_MAX_METADATA_BYTES, type FetchBytesOptions } from './main/engine/oras/bytes';
export { parseManifest, parseIndex, isIndex } from './main/engine/oras/manifest-codec';
export { parsePlatform, formatPlatform, type PlatformSpec } from './main/engine/oras/platform';
export {
  createIndex,
  updateIndex,
  packIndex,
  pushIndex,
  type BuiltIndex,
  type UpdatedIndex,
  type CreateIndexOptions,
  type UpdateIndexOptions,
  type PushIndexOptions,
  type IndexSourceEvents,
} from './main/engine/oras/index-build';

// Targets and the interfaces they implement.
export { Registry, openRepository, type RegistryOptions } from './main/engine/registry/registry';
export { Repository, type RepositoryOptions } from './main/engine/registry/repository';
export { MemoryStore, type MemoryStoreOptions } from './main/engine/content/memory-store';
export { FileStore, type FileStoreOptions } from './main/engine/content/file-store';
export { OciLayoutStore } from './main/engine/content/oci-layout-store';
export { TarLayoutStore } from './main/engine/content/tar-layout-store';
export type {
  Target,
  ReadOnlyTarget,
  Storage,
  ReadOnlyStorage,
  Fetcher,
  Pusher,
  Existence,
  Resolver,
  Tagger,
  TagLister,
  Deleter,
  Mounter,
  PredecessorFinder,
  BlobStater,
  StreamPusher,
  IoOptions,
  ProgressEvent,
  ProgressListener,
} from './main/engine/content/storage';

// What artifacts are made of.
export { Annotation, titleOf, type Descriptor, type Index, type Manifest, type Platform } from './main/engine/descriptor';
export { MediaType } from './main/engine/media-type';
export { digestOf, digestStream, parseDigest, type Digest, type DigestAlgorithm } from './main/engine/digest';
export { parseReference, formatReference, type Reference } from './main/engine/reference';

// Errors.
export { OrasError, isOrasError, type ErrorCode, type RegistryErrorDetail, type RegistryResponseInfo } from './main/engine/errors';
export type { Side } from './main/engine/oras/side';

// Logins: given by the program, or saved by `oras login`, the app or `docker login`.
export { staticCredentials, anonymous, type Credential, type CredentialProvider } from './main/engine/transport/credential';
export { credentialProvider, createResolver, type StoreOptions, type ResolverOptions } from './main/credentials/resolver';
export { LoginService, type LoginServiceOptions, type TestResult } from './main/credentials/login-service';
export { KeychainStore } from './main/credentials/keychain-store';
export { DockerConfigStore } from './main/credentials/docker-config-store';
export { FileStore as CredentialsFileStore } from './main/credentials/file-store';
export { CredentialHelper } from './main/credentials/credential-helper';
export { KeychainError, isKeychainError } from './main/credentials/keychain-error';
export type {
  CredentialStore,
  SavedLogin,
  SaveTarget,
  LoginLocation,
  LoginCheckOptions,
  KeychainProblem,
  KeychainStatus,
  CredentialNote,
} from './main/credentials/types';
