/**
 * Credentials: where registry logins live and how every face of ORAS Desktop finds
 * them. No Electron here; the app's handlers, the CLI and programs use the same code.
 *
 * - `LoginService`: list / login (checked with the registry first) / test / logout.
 * - `credentialProvider`, `createResolver`: the engine's CredentialProvider, in the
 *   reading order flags → `-c FILE` → OS keychain → Docker's config → anonymous.
 * - Stores: `KeychainStore` (keytar), `DockerConfigStore` (config.json, credsStore,
 *   credHelpers), `FileStore` (`-c FILE`); `CredentialHelper` runs `docker-credential-*`.
 */
export type * from './types';
export { LoginService, type DockerConfig, type Keychain, type LoginServiceOptions, type TestResult } from './login-service';
export { createResolver, credentialProvider, defaultStores, type ResolverOptions, type StoreOptions } from './resolver';
export { KeychainStore, KEYCHAIN_SERVICE, type KeychainStoreOptions } from './keychain-store';
export { KeychainError, ABSENT_PROBLEMS, absentKeychainReason, isKeychainError } from './keychain-error';
export { DockerConfigStore, helperFor, type DockerConfigStoreOptions } from './docker-config-store';
export { FileStore } from './file-store';
export { CredentialHelper, HelperError, TOKEN_USERNAME, type CredentialHelperOptions } from './credential-helper';
export { defaultDockerConfigPath, registryKey, storageKey } from './docker-config-file';
