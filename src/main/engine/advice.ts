/**
 * What an error tells the person to do, where the way to do it is a command-line flag
 * or command: the engine's messages carry the CLI's words (the library and `oras`
 * print them as they are), and the app, which has a registry's dialog instead of
 * flags, rewrites each one with `rewriteAdvice` before a message reaches its page. Both
 * sides read this one list, so the CLI's words can change without the app's rewrite
 * missing them.
 */
export type AdviceKind = 'loginFirst' | 'loginAgain' | 'trustCa' | 'httpsNotPlain' | 'clientCertificate' | 'credentialsFile' | 'fileOrHelper' | 'removeLogin';

/** The CLI's words; `{host}` stands for the registry (host and port). */
const CLI_WORDS: Record<AdviceKind, string> = {
  loginFirst: 'run `oras login {host}` first, or pass -u and -p',
  loginAgain: 'check the user name and password, then run `oras login {host}` again',
  trustCa: 'trust its CA with --ca-file, or use --insecure to skip verification, or --plain-http if it speaks plain HTTP',
  httpsNotPlain: 'pass --ca-file with its CA (or --insecure) so HTTPS is used',
  clientCertificate: 'give it with --cert-file and --key-file',
  credentialsFile: 'or keep logins in a credentials file instead (-c FILE)',
  fileOrHelper: "use -c FILE or a Docker credential helper (credsStore in Docker's config.json)",
  removeLogin: 'remove it (oras logout {host}) and log in again',
};

const HOST = '{host}';

/** advice is the CLI's words for `kind`, about the registry `host` (for the kinds whose words name it). */
export function advice(kind: AdviceKind, host = ''): string {
  return CLI_WORDS[kind].replaceAll(HOST, host);
}

/** Each advice as a pattern that finds it in a message, the host captured. */
const PATTERNS = (Object.keys(CLI_WORDS) as AdviceKind[]).map((kind) => {
  const [before, after] = CLI_WORDS[kind].split(HOST).map(escapeRegExp);
  const source = after === undefined ? before! : `${before}([^\\s\`]+)${after}`;
  return { kind, pattern: new RegExp(source, 'g') };
});

/** rewriteAdvice replaces every piece of the CLI's advice in `message` with `words` for its kind (given the host, or '' when the advice names none). */
export function rewriteAdvice(message: string, words: Record<AdviceKind, (host: string) => string>): string {
  let text = message;
  for (const { kind, pattern } of PATTERNS) {
    // Without a host in the pattern, the second argument is the match's offset.
    text = text.replace(pattern, (_match, host: unknown) => words[kind](typeof host === 'string' ? host : ''));
  }
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
