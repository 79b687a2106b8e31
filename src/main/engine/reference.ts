import { cut, quoted } from './echo';
import { parseDigest } from './digest';
import { OrasError } from './errors';

/**
 * Reference grammar, after the distribution project's reference package:
 *
 *   reference      := name [ ":" tag ] [ "@" digest ]
 *   name           := [ domain "/" ] path-component *( "/" path-component )
 *   domain         := host [ ":" port ]
 *   path-component := alpha-numeric *( separator alpha-numeric )
 *   separator      := "_" | "__" | "." | "-"+
 *   tag            := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DOMAIN_COMPONENT = /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?\]$/;
const MAX_NAME_LENGTH = 255;

/** The registry name Docker Hub references normalise to, and the host its API lives on. */
export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Reference is a parsed `registry/repository[:tag][@digest]`. */
export interface Reference {
  /** registry as the user means it, normalised: `docker.io` for Docker Hub, lowercased host. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** normalizeRegistry lowercases a host and folds Docker Hub's aliases into `docker.io`. */
export function normalizeRegistry(registry: string): string {
  const lower = registry.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** registryApiHost is the host[:port] to send API requests to for a registry. */
export function registryApiHost(registry: string): string {
  const normalized = normalizeRegistry(registry);
  return normalized === DOCKER_HUB ? DOCKER_HUB_API_HOST : normalized;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const LOOPBACK_V4 = new RegExp(`^127(?:\\.${OCTET}){3}$`);

/** isLoopbackRegistry: localhost, 127.0.0.0/8 and [::1] speak plain HTTP by default. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = hostOf(registry).toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || LOOPBACK_V4.test(host) || host === '[::1]';
}

function hostOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1);
  const colon = registry.lastIndexOf(':');
  return colon === -1 ? registry : registry.slice(0, colon);
}

// The whole reference is shown (cut) once at the start of the message; the part at
// fault is shown shorter after it, so a long name does not fill the line twice.
const PART_SHOWN = 32;

function invalid(input: string, why: string): OrasError {
  return new OrasError('INVALID_REFERENCE', `invalid reference ${quoted(input)}: ${why}`);
}

/** validateRegistry checks `host[:port]`; it throws naming the bad part. */
export function validateRegistry(registry: string, input = registry): void {
  if (registry === '') throw invalid(input, 'the registry is empty');
  let host = registry;
  let port: string | undefined;
  if (registry.startsWith('[')) {
    const end = registry.indexOf(']');
    if (end === -1) throw invalid(input, `registry ${quoted(registry, PART_SHOWN)} has an unclosed "["`);
    host = registry.slice(0, end + 1);
    const rest = registry.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw invalid(input, `registry ${quoted(registry, PART_SHOWN)} has text after "]"`);
      port = rest.slice(1);
    }
    if (!IPV6.test(host)) throw invalid(input, `registry host ${quoted(host, PART_SHOWN)} is not an IPv6 address`);
  } else {
    const colon = registry.indexOf(':');
    if (colon !== -1) {
      host = registry.slice(0, colon);
      port = registry.slice(colon + 1);
    }
    for (const part of host.split('.')) {
      if (!DOMAIN_COMPONENT.test(part)) {
        throw invalid(input, `registry host ${quoted(host, PART_SHOWN)} is not a valid host name`);
      }
    }
  }
  if (port !== undefined) {
    const n = Number(port);
    if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) {
      throw invalid(input, `registry port ${quoted(port, PART_SHOWN)} must be a number from 1 to 65535`);
    }
  }
}

/** validateRepository checks a repository path; it throws naming the bad component. */
export function validateRepository(repository: string, input = repository): void {
  if (repository === '') throw invalid(input, 'the repository is empty');
  for (const part of repository.split('/')) {
    if (!PATH_COMPONENT.test(part)) {
      const why =
        part === ''
          ? 'it has an empty path component ("//" or a leading or trailing "/")'
          : part.includes(':')
            ? `repository component ${quoted(part, PART_SHOWN)} holds a ":"; a reference has at most one ":tag", after the last "/"`
            : /[A-Z]/.test(part)
            ? `repository component ${quoted(part, PART_SHOWN)} must be lowercase`
            : `repository component ${quoted(part, PART_SHOWN)} may hold only a-z, 0-9 and single separators . _ __ - between them`;
      throw invalid(input, why);
    }
  }
}

/** validateTag checks a tag by the distribution grammar. */
export function validateTag(tag: string, input = tag): void {
  if (!TAG.test(tag)) {
    const shown = quoted(tag, PART_SHOWN);
    throw invalid(
      input,
      tag === ''
        ? 'the tag after ":" is empty'
        : tag.length > 128
          ? `tag ${shown} is ${tag.length} characters long; a tag is at most 128 characters`
          : !/^[A-Za-z0-9_]/.test(tag)
            ? `tag ${shown} must start with a letter, digit or "_"`
            : `tag ${shown} may hold only letters, digits, "_", "." and "-"`,
    );
  }
}

function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component.startsWith('[') || component !== component.toLowerCase();
}

export interface ParseReferenceOptions {
  /** Allow a reference without a registry, which then means Docker Hub. Default true. */
  defaultToDockerHub?: boolean;
}

/**
 * parseReference parses `[registry/]repository[:tag][@digest]`. A reference with no
 * registry means Docker Hub (`docker.io`), where one-component names gain `library/`.
 * Every error names the bad part and what it should look like.
 */
export function parseReference(input: string, options: ParseReferenceOptions = {}): Reference {
  if (typeof input !== 'string' || input.trim() === '') throw invalid(String(input), 'it is empty');
  if (input !== input.trim()) throw invalid(input, 'it has leading or trailing white space');
  if (/\s/.test(input)) throw invalid(input, 'it contains white space');
  if (input.includes('://')) throw invalid(input, 'leave out the scheme (http:// or https://): write registry/repository:tag');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (digest === '') throw invalid(input, 'the digest after "@" is empty');
    try {
      parseDigest(digest);
    } catch (err) {
      throw invalid(input, (err as Error).message);
    }
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  // A colon inside an IPv6 literal (`[::1]`) is not a tag separator.
  const insideIpv6 = rest.startsWith('[') && colon < rest.indexOf(']');
  if (colon > lastSlash && !insideIpv6) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    validateTag(tag, input);
  }

  if (rest === '') throw invalid(input, 'the repository is missing');
  let registry: string;
  let repository: string;
  const firstSlash = rest.indexOf('/');
  const first = firstSlash === -1 ? rest : rest.slice(0, firstSlash);
  if (firstSlash !== -1 && looksLikeRegistry(first)) {
    registry = first;
    repository = rest.slice(firstSlash + 1);
    validateRegistry(registry, input);
  } else if (firstSlash === -1 && looksLikeRegistry(first) && !/[A-Z]/.test(first)) {
    // In `localhost:5000` the "tag" is really the port.
    const host = tag !== undefined && /^\d+$/.test(tag) ? `${first}:${tag}` : first;
    throw invalid(input, `${quoted(host, PART_SHOWN)} looks like a registry but no repository follows it: write ${cut(host, PART_SHOWN)}/repository:tag`);
  } else {
    if (options.defaultToDockerHub === false) {
      throw invalid(input, 'it names no registry: write registry/repository:tag, e.g. localhost:5000/hello:v1');
    }
    registry = DOCKER_HUB;
    repository = rest;
  }
  registry = normalizeRegistry(registry);
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  validateRepository(repository, input);
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) {
    const length = registry.length + 1 + repository.length;
    throw invalid(input, `the name ${cut(`${registry}/${repository}`, 30)} is ${length} characters long, longer than ${MAX_NAME_LENGTH} characters`);
  }
  return { registry, repository, tag, digest };
}

/** referenceOf is the part a target resolves: the digest when there is one, else the tag. */
export function referenceOf(ref: Reference): string | undefined {
  return ref.digest ?? ref.tag;
}

/** formatReference writes a reference back as `registry/repository[:tag][@digest]`. */
export function formatReference(ref: Reference): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}
