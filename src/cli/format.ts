import { Annotation, type Descriptor } from '../main/engine/descriptor';
import type { OutStream } from './io';
import { jsonText } from './terminal-text';

/** shortDigest is the first 12 hex digits of a digest, as ORAS prints them. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.slice(colon + 1, colon + 13);
}

/** displayName is how a descriptor is named in output: its title, else its media type. */
export function displayName(desc: Descriptor): string {
  return desc.annotations?.[Annotation.Title] ?? desc.mediaType;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** humanBytes writes a size in decimal units, e.g. `4 B`, `1.50 MB`. */
export function humanBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(2)} ${UNITS[unit]}`;
}

/** writeJson prints one JSON document to stdout, terminal-safe (see jsonText). */
export function writeJson(stdout: OutStream, value: unknown): void {
  stdout.write(jsonText(value));
}

/** descriptorJson is a descriptor as `--format json` prints it (ORAS field names). */
export function descriptorJson(desc: Descriptor): Record<string, unknown> {
  return {
    mediaType: desc.mediaType,
    digest: desc.digest,
    size: desc.size,
    ...(desc.artifactType ? { artifactType: desc.artifactType } : {}),
    ...(desc.annotations && Object.keys(desc.annotations).length > 0 ? { annotations: desc.annotations } : {}),
  };
}
