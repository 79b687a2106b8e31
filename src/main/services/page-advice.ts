import { rewriteAdvice, type AdviceKind } from '../engine/advice';

/**
 * The app's words for the engine's advice (see engine/advice.ts): where the CLI names a
 * flag or `oras login`, the page names the registry's dialog in the sidebar (its menu's
 * Edit…, with the dialog's own field names), so nobody at the window is told to "pass
 * -u and -p".
 */
const PAGE_WORDS: Record<AdviceKind, (host: string) => string> = {
  loginFirst: (host) => `log in first: in the sidebar, choose Edit… in the menu of ${host} (or Add it) and give a user name and password`,
  loginAgain: (host) => `check the user name and password: in the sidebar, choose Edit… in the menu of ${host}`,
  // The message names the registry before these; their CLI words do not.
  trustCa: () => 'in the sidebar, choose Edit… in the registry’s menu and give its CA certificate file, or tick Insecure to skip verification, or Plain HTTP if it speaks plain HTTP',
  httpsNotPlain: () => 'in the sidebar, choose Edit… in the registry’s menu and untick Plain HTTP (with its CA certificate file, or Insecure, if its certificate is not trusted)',
  clientCertificate: () => 'ORAS Desktop cannot send one yet (the `oras` command can)',
  // Without the keychain: the app reads the logins in Docker's config as well.
  credentialsFile: () => 'or log in with `docker login` instead: ORAS Desktop also finds the logins in Docker’s config.json',
  fileOrHelper: () => 'log in with `docker login` instead, through a Docker credential helper (credsStore in Docker’s config.json): ORAS Desktop finds those logins too',
  // Remove… in the sidebar deletes the registry's login from the keychain too.
  removeLogin: (host) => `remove it with Remove… in the menu of ${host} in the sidebar, then Add it again with its login`,
};

/** forThePage rewrites the CLI's advice in an engine message into the app's words. */
export function forThePage(message: string): string {
  return rewriteAdvice(message, PAGE_WORDS);
}
