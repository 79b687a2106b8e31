import type { Descriptor, Index, Platform } from '../descriptor';

/**
 * index-json writes an image index as ORAS 1.3 writes one: Go's `json.Marshal` of
 * image-spec's `ocispec.Index` (specs-go/v1/index.go, descriptor.go). The bytes, and so
 * the digest, are what `oras manifest index create|update` would push for the same
 * input, which a script comparing digests relies on:
 * - fields in the Go structs' order, empty optional ones left out (`omitempty`), the
 *   unknown ones dropped (the struct has no place for them);
 * - maps (annotations) with their keys sorted by their UTF-8 bytes;
 * - `<`, `>`, `&`, U+2028 and U+2029 written `\u003c` … as Go's HTML-safe encoder does
 *   (JSON.stringify leaves them raw; the two escape every other character alike).
 * A lone UTF-16 surrogate, which Go cannot hold, stays JSON.stringify's `\udXXX`.
 */

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/** goString is a JSON string as Go's encoder writes it. */
function goString(value: string): string {
  return JSON.stringify(value).replace(HTML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** goObject writes the fields given a value, in the order given (a Go struct's). */
function goObject(fields: Array<[string, string | undefined]>): string {
  return `{${fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([key, value]) => `${goString(key)}:${value}`)
    .join(',')}}`;
}

/** byUtf8 orders strings as Go sorts map keys: by their UTF-8 bytes. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** stringMap is a `map[string]string` with omitempty: undefined when empty. */
function stringMap(map: Record<string, string> | undefined): string | undefined {
  if (map === undefined) return undefined;
  const keys = Object.keys(map).sort(byUtf8);
  if (keys.length === 0) return undefined;
  return `{${keys.map((key) => `${goString(key)}:${goString(map[key]!)}`).join(',')}}`;
}

/** stringList is a `[]string` with omitempty. */
function stringList(list: readonly string[] | undefined): string | undefined {
  return list === undefined || list.length === 0 ? undefined : `[${list.map(goString).join(',')}]`;
}

/** optionalString is a `string` with omitempty. */
function optionalString(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : goString(value);
}

/** platformJson: `ocispec.Platform` (architecture and os always, even empty). */
function platformJson(platform: Partial<Platform>): string {
  return goObject([
    ['architecture', goString(platform.architecture ?? '')],
    ['os', goString(platform.os ?? '')],
    ['os.version', optionalString(platform['os.version'])],
    ['os.features', stringList(platform['os.features'])],
    ['variant', optionalString(platform.variant)],
  ]);
}

/** descriptorJson: `ocispec.Descriptor`. */
export function goDescriptorJson(desc: Descriptor): string {
  return goObject([
    ['mediaType', goString(desc.mediaType)],
    ['digest', goString(desc.digest)],
    ['size', String(desc.size)],
    ['urls', stringList(desc.urls)],
    ['annotations', stringMap(desc.annotations)],
    ['data', optionalString(desc.data)],
    ['platform', desc.platform === undefined ? undefined : platformJson(desc.platform)],
    ['artifactType', optionalString(desc.artifactType)],
  ]);
}

/** goIndexJson is `index` as Go's `json.Marshal(ocispec.Index)`: compact, no line end. */
export function goIndexJson(index: Index): string {
  return goObject([
    ['schemaVersion', String(index.schemaVersion)],
    ['mediaType', optionalString(index.mediaType)],
    ['artifactType', optionalString(index.artifactType)],
    ['manifests', `[${index.manifests.map(goDescriptorJson).join(',')}]`],
    ['subject', index.subject === undefined ? undefined : goDescriptorJson(index.subject)],
    ['annotations', stringMap(index.annotations)],
  ]);
}

/**
 * indentJson indents compact JSON text as Go's `json.Indent(dst, src, "", "  ")`
 * (what ORAS's `--pretty` prints): two spaces a level, `": "` after a key, empty `{}`
 * and `[]` kept on one line, and every string exactly as written (escapes included,
 * which a parse and stringify would undo). `text` must be valid JSON.
 */
export function indentJson(text: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let opened = false; // just after `{` or `[`: the newline waits to see whether it is empty
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (const c of text) {
    if (inString) {
      out += c;
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (opened && c !== '}' && c !== ']') {
      opened = false;
      depth++;
      out += newline();
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[':
        opened = true;
        out += c;
        break;
      case '}':
      case ']':
        if (opened) opened = false;
        else {
          depth--;
          out += newline();
        }
        out += c;
        break;
      case ',':
        out += `,${newline()}`;
        break;
      case ':':
        out += ': ';
        break;
      default:
        out += c;
    }
  }
  return out;
}
