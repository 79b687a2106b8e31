import type { Platform } from '../descriptor';

/**
 * platformOfConfig reads the platform an image config declares (image-spec config.md:
 * `architecture`, `os`, `os.version`, `os.features`, `variant`) the way ORAS 1.3's
 * `manifest index create` does: Go's `json.Unmarshal` of the config into an
 * `ocispec.Platform`, so the index entry gets the same platform ORAS would write:
 * - keys match their field exactly or else ignoring case (Go's rule), the last one wins;
 * - a value of the wrong type, a config that is not JSON or not an object: no platform
 *   (ORAS ignores the error and leaves the entry without one); `null` leaves a field empty;
 * - neither architecture nor os: no platform.
 * An entry whose config is an artifact's `{}` thus has no platform, as in ORAS.
 */
export function platformOfConfig(bytes: Uint8Array): Platform | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields: { architecture: string; os: string; 'os.version': string; variant: string; 'os.features'?: string[] } = {
    architecture: '',
    os: '',
    'os.version': '',
    variant: '',
  };
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = fieldFor(key);
    if (field === undefined || raw === null) {
      if (field === 'os.features') delete fields['os.features'];
      continue;
    }
    if (field === 'os.features') {
      if (!Array.isArray(raw) || !raw.every((item) => item === null || typeof item === 'string')) return undefined;
      fields['os.features'] = raw.map((item) => (item === null ? '' : (item as string)));
    } else {
      if (typeof raw !== 'string') return undefined;
      fields[field] = raw;
    }
  }
  if (fields.architecture === '' && fields.os === '') return undefined;
  return {
    architecture: fields.architecture,
    os: fields.os,
    ...(fields['os.version'] !== '' ? { 'os.version': fields['os.version'] } : {}),
    ...(fields['os.features'] && fields['os.features'].length > 0 ? { 'os.features': fields['os.features'] } : {}),
    ...(fields.variant !== '' ? { variant: fields.variant } : {}),
  };
}

const PLATFORM_FIELDS = ['architecture', 'os', 'os.version', 'os.features', 'variant'] as const;
type PlatformField = (typeof PLATFORM_FIELDS)[number];

/** fieldFor is the Platform field a config key fills: its exact name, else one equal ignoring case. */
function fieldFor(key: string): PlatformField | undefined {
  const exact = PLATFORM_FIELDS.find((name) => name === key);
  if (exact !== undefined) return exact;
  const folded = key.toLowerCase();
  return PLATFORM_FIELDS.find((name) => name === folded);
}
