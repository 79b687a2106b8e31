import type { LoginCheckOptions, SavedLogin } from '../credentials/types';
import type { Credential, CredentialProvider } from '../engine/transport/credential';

/**
 * LoginBackend is what the app's services need from the credentials service
 * (`src/main/credentials`): list saved logins without secrets, test a login, save one
 * only after it passed the test, and remove one from where it lives. Registry names
 * are normalised `host[:port]`. `RegistriesService` (the sidebar) and the browse
 * targets (through `provider`) use it; `logins.ts` builds the one both transports
 * (desktop/ and web/) hand to `createServices`, and tests pass their own.
 */
export interface LoginBackend {
  list(): Promise<SavedLogin[]>;
  /**
   * test asks the registry whether it accepts `credential` (undefined: the saved login,
   * NOT_FOUND when there is none); it throws an OrasError (UNAUTHORIZED, DENIED,
   * NETWORK, TLS, …) if not. Saves nothing.
   */
  test(registry: string, credential: Credential | undefined, options: LoginCheckOptions): Promise<void>;
  /** login tests `credential`, then saves it to the OS keychain; nothing is saved when the test fails. */
  login(registry: string, credential: Credential, options: LoginCheckOptions): Promise<SavedLogin>;
  /** logout removes the registry's login; false when there was none. */
  logout(registry: string): Promise<boolean>;
  /**
   * provider hands the engine the saved logins (keychain, then Docker's config), so
   * browsing a registry uses the very login the sidebar shows for it.
   */
  provider(): CredentialProvider;
}
