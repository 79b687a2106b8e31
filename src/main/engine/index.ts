/**
 * The ORAS Desktop library: the engine the app and the `oras` CLI run on, for programs
 * that push and pull artifacts themselves. See examples/rocket.ts for the seed's Go
 * example in TypeScript.
 */
export * from './oras';
export { OrasError, isOrasError, type ErrorCode, type RegistryErrorDetail, type RegistryResponseInfo } from './errors';
export { Annotation, assertDescriptor, titleOf, type Descriptor, type Index, type Manifest, type Platform } from './descriptor';
export { digestOf, digestStream, parseDigest, Digester, VerifyStream, type Digest, type DigestAlgorithm } from './digest';
export { MediaType, assertMediaType, isValidMediaType } from './media-type';
export { parseReference, formatReference, normalizeRegistry, referenceOf, type Reference } from './reference';
export * from './content/storage';
export { MemoryStore } from './content/memory-store';
export { FileStore } from './content/file-store';
export { OciLayoutStore } from './content/oci-layout-store';
export { Registry, openRepository, type RegistryOptions } from './registry/registry';
export { Repository, type RepositoryOptions } from './registry/repository';
export { staticCredentials, anonymous, type Credential, type CredentialProvider } from './transport/credential';
