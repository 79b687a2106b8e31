import { href, type Route } from '../../routes/routes';

/**
 * json-tokens turns a parsed manifest into lines of tokens for the raw JSON view: keys,
 * strings, numbers, literals and punctuation, each styled by kind, and every
 * descriptor's `digest` a link to where that content is shown (a manifest by digest
 * for manifest and index media types, else a blob). Text only: React shows each token
 * as text, so nothing a registry sends is ever markup.
 */

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'digest';

export interface JsonToken {
  kind: TokenKind;
  text: string;
  /** For a `digest` token: the hash of the route it opens. */
  link?: string;
}

export interface JsonLine {
  /** Nesting depth (two spaces each, as `JSON.stringify(…, null, 2)` writes). */
  depth: number;
  tokens: JsonToken[];
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** MANIFEST_MEDIA_TYPES are the descriptors that open in the manifest view rather than the blob view. */
const MANIFEST_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.artifact.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

/** isManifestMediaType: a descriptor of this type is a manifest or an index. */
export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && MANIFEST_MEDIA_TYPES.has(mediaType);
}

/** descriptorRoute is where a descriptor of a repository opens. */
export function descriptorRoute(registry: string, repository: string, descriptor: { digest: string; mediaType?: string }): Route {
  return isManifestMediaType(descriptor.mediaType)
    ? { name: 'manifest', registry, repository, digest: descriptor.digest }
    : { name: 'blob', registry, repository, digest: descriptor.digest };
}

/** jsonLines lays out `value` as pretty JSON lines (the same text as `JSON.stringify(value, null, 2)`). */
export function jsonLines(value: unknown, where: { registry: string; repository: string }): JsonLine[] {
  const lines: JsonLine[] = [];
  const scalar = (v: unknown): JsonToken => {
    if (typeof v === 'string') return { kind: 'string', text: JSON.stringify(v) };
    if (typeof v === 'number') return { kind: 'number', text: JSON.stringify(v) };
    return { kind: 'literal', text: JSON.stringify(v) ?? 'null' };
  };
  /** walk writes `v` starting on a line that already holds `lead`, closing with `trail`. */
  const walk = (v: unknown, depth: number, lead: JsonToken[], trail: string): void => {
    const end = trail ? [{ kind: 'punct' as const, text: trail }] : [];
    if (Array.isArray(v)) {
      if (v.length === 0) return void lines.push({ depth, tokens: [...lead, { kind: 'punct', text: '[]' }, ...end] });
      lines.push({ depth, tokens: [...lead, { kind: 'punct', text: '[' }] });
      v.forEach((item, i) => walk(item, depth + 1, [], i < v.length - 1 ? ',' : ''));
      lines.push({ depth, tokens: [{ kind: 'punct', text: ']' }, ...end] });
      return;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) return void lines.push({ depth, tokens: [...lead, { kind: 'punct', text: '{}' }, ...end] });
      const mediaType = (v as { mediaType?: unknown }).mediaType;
      lines.push({ depth, tokens: [...lead, { kind: 'punct', text: '{' }] });
      entries.forEach(([key, item], i) => {
        const keyTokens: JsonToken[] = [{ kind: 'key', text: JSON.stringify(key) }, { kind: 'punct', text: ': ' }];
        const comma = i < entries.length - 1 ? ',' : '';
        if (key === 'digest' && typeof item === 'string' && DIGEST.test(item)) {
          const route = descriptorRoute(where.registry, where.repository, { digest: item, mediaType: typeof mediaType === 'string' ? mediaType : undefined });
          lines.push({ depth: depth + 1, tokens: [...keyTokens, { kind: 'digest', text: JSON.stringify(item), link: href(route) }, ...(comma ? [{ kind: 'punct' as const, text: comma }] : [])] });
        } else {
          walk(item, depth + 1, keyTokens, comma);
        }
      });
      lines.push({ depth, tokens: [{ kind: 'punct', text: '}' }, ...end] });
      return;
    }
    lines.push({ depth, tokens: [...lead, scalar(v), ...end] });
  };
  walk(value, 0, [], '');
  return lines;
}

/** lineText is a line as plain text (for tests and copying). */
export function lineText(line: JsonLine): string {
  return '  '.repeat(line.depth) + line.tokens.map((t) => t.text).join('');
}
