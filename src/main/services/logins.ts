import { LoginService } from '../credentials';
import type { LoginBackend } from './login-backend';

/**
 * loginBackendOf adapts the credentials service (`src/main/credentials`) to what the
 * services need (`LoginBackend`): logins are saved to the OS keychain, removed from wherever
 * they live.
 */
export function loginBackendOf(service: LoginService): LoginBackend {
  return {
    list: () => service.list(),
    test: async (registry, credential, options) => {
      await service.test(registry, { ...options, ...(credential ? { credential } : {}) });
    },
    login: (registry, credential, options) => service.login(registry, credential, { ...options, target: { kind: 'keychain' } }),
    logout: async (registry) => (await service.logout(registry)).length > 0,
    provider: () => service.provider(),
  };
}

/** createAppLogins opens the app's logins over the OS keychain and Docker's config of `env`. */
export function createAppLogins(env: NodeJS.ProcessEnv = process.env): LoginBackend {
  return loginBackendOf(
    LoginService.fromEnv({
      env,
      onNote: (note) => {
        if (note.level === 'warning') console.warn(`ORAS Desktop: ${note.message}`);
      },
    }),
  );
}
