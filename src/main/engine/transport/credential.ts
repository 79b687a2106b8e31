/**
 * Credential is what the engine may present to one registry. Which fields are set
 * decides the flow: user name and password (Basic, or the token flow's GET), an
 * identity token (the OAuth2 refresh-token flow), or a registry access token used as is.
 */
export interface Credential {
  username?: string;
  password?: string;
  /** A refresh token, as `docker login` stores in `identitytoken`. */
  identityToken?: string;
  /** A bearer token for the registry itself, sent without any exchange. */
  accessToken?: string;
}

/**
 * CredentialProvider finds the credential for a registry (`host[:port]`, normalised
 * as `normalizeRegistry` does); undefined means anonymous. The credential stores and the
 * CLI's flags each provide one.
 */
export type CredentialProvider = (registry: string) => Promise<Credential | undefined>;

/** anonymous is the CredentialProvider that has no login for any registry (the default). */
export const anonymous: CredentialProvider = async () => undefined;

/** staticCredentials serves one credential for one registry (flags on a command line). */
export function staticCredentials(registry: string, credential: Credential, fallback: CredentialProvider = anonymous): CredentialProvider {
  return async (asked) => (asked === registry ? credential : fallback(asked));
}

export function hasSecret(credential: Credential | undefined): credential is Credential {
  return !!credential && !!(credential.password || credential.identityToken || credential.accessToken);
}
