/**
 * goMapOf is a JSON document as ORAS's `manifest fetch --format json` holds it: decoded
 * into Go's `map[string]any` (fetched content, metadata/json/manifest_fetch.go), which
 * encoding/json writes back with every object's keys sorted, at every depth. A document
 * that is not a JSON object decodes to nil there: null here. One place JavaScript cannot
 * follow: keys that are array indexes ("0", "10") an object always lists first, in
 * number order.
 */
export function goMapOf(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  return sortKeys(value) as Record<string, unknown>;
}

/**
 * htmlSafe writes `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`, as Go's
 * encoding/json does by default (Marshal, and the Encoder ORAS prints its models with).
 * They occur in JSON text only inside strings, so replacing them in the text is exact.
 */
export function htmlSafe(json: string): string {
  return json.replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** sortKeys orders keys as Go sorts a map's: by their bytes (UTF-8), which for JSON's strings is code point order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const keys = Object.keys(value).sort(byCodePoint);
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = sortKeys(value[key]);
  return out;
}

function byCodePoint(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}
