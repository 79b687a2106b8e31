import { Annotation, type Descriptor } from '../main/engine/descriptor';
import { UsageError } from './errors';
import { htmlSafe } from './go-json';
import { TemplateError } from './go-template';
import type { CliIo, OutStream } from './io';
import { GO_TEMPLATE, type FormatFlags } from './options';
import { jsonText, showLines, templateText } from './terminal-text';

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

/** writeJson prints one JSON document to stdout, terminal-safe (see jsonText), `<`, `>`, `&` escaped as Go's encoder writes them. */
export function writeJson(stdout: OutStream, value: unknown): void {
  // showLines again changes nothing (jsonText's text is safe already) but says so to terminal-output.test.ts.
  stdout.write(showLines(htmlSafe(jsonText(value))));
}

/**
 * descriptorJson is a descriptor as `--format json` prints it: ORAS's field names in
 * the order Go's `ocispec.Descriptor` marshals them (annotations before artifactType,
 * both left out when empty).
 */
export function descriptorJson(desc: Descriptor): Record<string, unknown> {
  return {
    mediaType: desc.mediaType,
    digest: desc.digest,
    size: desc.size,
    ...(desc.annotations && Object.keys(desc.annotations).length > 0 ? { annotations: desc.annotations } : {}),
    ...(desc.artifactType ? { artifactType: desc.artifactType } : {}),
  };
}

/**
 * writeModel prints a command's model for `--format json` (indented) or
 * `--format go-template` (the template's text as it is, no newline added, as ORAS
 * writes it). A template that fails on this model (a field of a string, an index out
 * of range) is a usage error naming the place.
 */
export function writeModel(io: CliIo, flags: FormatFlags, model: unknown): void {
  if (flags.format !== GO_TEMPLATE) {
    writeJson(io.stdout, model);
    return;
  }
  let text: string;
  try {
    text = flags.goTemplate!.render(model);
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(`--template: ${err.message}`, { cause: err });
    throw err;
  }
  io.stdout.write(templateText(text));
}

/**
 * writeDescriptor prints a descriptor for `--descriptor` as ORAS does
 * (option.Descriptor, output.PrintJSON): one line of JSON with no line end, or
 * indented and ending its line with `--pretty`.
 */
export function writeDescriptor(io: CliIo, desc: Descriptor, pretty: boolean | undefined): void {
  if (pretty) writeJson(io.stdout, descriptorJson(desc));
  else io.stdout.write(showLines(htmlSafe(JSON.stringify(descriptorJson(desc)))));
}

/** isModelFormat: the output is the command's model (JSON or a template over it), not text lines. */
export function isModelFormat(flags: FormatFlags): boolean {
  return flags.format === 'json' || flags.format === GO_TEMPLATE;
}
