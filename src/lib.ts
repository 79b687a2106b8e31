/**
 * The ORAS Desktop library (`dist/lib.js`): the engine, plus the saved logins every face
 * of ORAS Desktop shares. A program that pushes with `credentials: credentialProvider()`
 * finds the logins `oras login` or the app saved (OS keychain), and `docker login`'s
 * (Docker's config and its credential helpers).
 */
export * from './main/engine';
export {
  LoginService,
  credentialProvider,
  createResolver,
  KeychainStore,
  DockerConfigStore,
  FileStore as CredentialsFileStore,
  CredentialHelper,
  KeychainError,
  isKeychainError,
  type LoginLocation,
  type SavedLogin,
  type SaveTarget,
  type CredentialStore,
} from './main/credentials';
