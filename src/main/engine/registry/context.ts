import { advice } from '../advice';
import { isOrasError } from '../errors';
import type { RegistryClient } from '../transport/client';
import { discard, type HttpRequest, type HttpResponse } from '../transport/http';
import { connectionError } from './doing';
import { responseError, type Refusal } from './response-errors';

/** RepoContext is what every repository call needs: the client and the repository's name. */
export interface RepoContext {
  client: RegistryClient;
  repository: string;
  /** The Accept header for manifests, when not every type the engine reads (RepositoryOptions.manifestMediaTypes). */
  manifestAccept?: string;
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

export function deleteScope(repository: string): string {
  return `repository:${repository}:delete`;
}

/** repoUrl builds `/v2/<name>/<path>` on the registry. */
export function repoUrl(ctx: RepoContext, path: string): URL {
  return new URL(`/v2/${ctx.repository}/${path}`, ctx.client.baseUrl);
}

/** loginHint is the advice a 401 carries: log in, or check the login that was used. */
export async function loginHint(ctx: RepoContext): Promise<string> {
  return (await ctx.client.auth.hasCredential())
    ? `the registry refused the login for ${ctx.client.registry}: ${advice('loginAgain', ctx.client.registry)}`
    : advice('loginFirst', ctx.client.registry);
}

/** refusal says who a 401 or 403 refused and what to advise, for its error. */
export async function refusal(ctx: RepoContext, status: number): Promise<Refusal | undefined> {
  if (status !== 401 && status !== 403) return undefined;
  const credential = await ctx.client.auth.credential();
  return {
    ...(credential?.username ? { user: credential.username } : {}),
    loggedIn: await ctx.client.auth.hasCredential(),
    ...(ctx.repository ? { repository: `${ctx.client.registry}/${ctx.repository}` } : {}),
    ...(status === 401 ? { loginHint: await loginHint(ctx) } : {}),
  };
}

/**
 * send issues a request and turns any status outside `ok` into the engine's error,
 * naming `what`; a dropped connection says what was being done to which blob or
 * manifest where. The body of a refused response is always consumed.
 */
export async function send(ctx: RepoContext, request: HttpRequest, ok: number[], what: string): Promise<HttpResponse> {
  let response: HttpResponse;
  try {
    response = await ctx.client.send(request);
  } catch (err) {
    throw isOrasError(err, 'NETWORK') ? connectionError(err, request, ctx.client.registry, ctx.repository, what) : err;
  }
  if (ok.includes(response.status)) return response;
  throw await responseError(request, response, what, await refusal(ctx, response.status));
}

/** sendAndDiscard is `send` for requests whose answer has no body worth reading. */
export async function sendAndDiscard(ctx: RepoContext, request: HttpRequest, ok: number[], what: string): Promise<HttpResponse> {
  const response = await send(ctx, request, ok, what);
  await discard(response);
  return response;
}
