/**
 * How an error shows what came from outside (a reference, a file name, a media type, a
 * tag, a registry's message): once, quoted, with invisible characters made visible and
 * cut to about {@link ECHO_MAX_CHARS} characters, so a 300-character name cannot turn
 * an error into a 700-character line and a newline in it cannot pass for the end of one.
 * Every engine error that repeats outside input goes through `quoted` or `cut`; the
 * characters made visible are the terminal's unsafe ones (`showControls`, shared with
 * the CLI's output).
 */

import { showControls } from '../../shared/visible-text';

/** ECHO_MAX_CHARS is how much of an outside value an error repeats. */
export const ECHO_MAX_CHARS = 80;

/** shorten cuts text to `max` characters (code points, never half a pair), ending with "…". */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * cut shows outside text bare (a registry's own message): invisible characters
 * escaped as `\n` or `\uXXXX`, at most `max` characters (default 80) with "…".
 */
export function cut(value: unknown, max = ECHO_MAX_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  return showControls(shorten(text, max));
}

/**
 * quoted shows an outside value in double quotes: `"my stuff"`, `"a\nb"`, or
 * `"aaaa…"` when it is longer than `max` characters (default 80). Quotes and
 * backslashes inside are escaped, so where the value ends is never in doubt. A value
 * that is not a string (a size of `"12"` or `{}`) is shown as JSON.
 */
export function quoted(value: unknown, max = ECHO_MAX_CHARS): string {
  // Anything but a string is shown in JSON notation, its own quotes included.
  if (typeof value !== 'string') return cut(JSON.stringify(value) ?? String(value), max);
  return `"${showControls(shorten(value, max).replace(/["\\]/g, '\\$&'))}"`;
}

/**
 * shortDigest names a blob in a sentence: `sha256:` and the first 12 hex digits with
 * "…" (as `docker` shows image ids), anything that is not a digest cut like input.
 */
export function shortDigest(digest: string): string {
  const match = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-f0-9]{13,})$/.exec(digest);
  return match ? `${match[1]}:${match[2]!.slice(0, 12)}…` : cut(digest);
}
