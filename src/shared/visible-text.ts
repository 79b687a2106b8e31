/**
 * Visible text: characters that a terminal (or a text view) obeys instead of showing,
 * written out as escapes so that text from outside (a registry's titles, annotations,
 * tags, media types, error messages, token realms) can be shown but never take over.
 * A title of `\e]0;pwned\a\e[2Jx.txt` is shown as `\u001b]0;pwned\u0007\u001b[2Jx.txt`:
 * it neither sets the window title nor clears the screen.
 *
 * Pure and free of Node built-ins, so the engine, the CLI and the page can share it.
 */

/**
 * UNSAFE_CHARACTER (global: for `replace` only) matches one character that must not reach a terminal raw:
 * - C0 controls U+0000–U+001F (ESC starts every escape sequence; NUL, BEL, BS, CR and
 *   LF rewrite or fake lines) and DEL U+007F;
 * - C1 controls U+0080–U+009F (U+009B is CSI and U+009D is OSC on terminals that
 *   read 8-bit controls, even in UTF-8);
 * - the bidi controls that reorder what is shown (Trojan Source, CVE-2021-42574):
 *   U+061C, U+200E, U+200F, the embeddings and overrides U+202A–U+202E, the isolates
 *   U+2066–U+2069;
 * - characters that hide or split text: zero-width U+200B–U+200D, word joiner and
 *   invisible operators U+2060–U+2065, the line and paragraph separators U+2028 and
 *   U+2029, and the BOM U+FEFF.
 * The engine's error quoting (`src/main/engine/echo.ts`) escapes the same kinds.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** escapeCharacter writes one unsafe character as `\n`, `\r`, `\t` or `\uXXXX` (JSON's own notation). */
function escapeCharacter(ch: string): string {
  return NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * showControls returns `text` with every {@link UNSAFE_CHARACTER} written as an escape,
 * except the characters in `keep`. A value (a title, a tag, a message) keeps nothing:
 * it is one line, so even a newline in it is shown as `\n`. Text whose lines are ours
 * (help, a stack trace, a file shown on a terminal) keeps `'\n'`, and maybe `'\t'`.
 *
 * The escapes are JSON's own, and JSON text holds these characters raw only inside
 * strings (C1, DEL, bidi: RFC 8259 §7 allows them) or as the whitespace between
 * members: so `showControls(JSON.stringify(v, null, 2), '\n')` is the same JSON, safe.
 *
 * The result holds no unsafe character (but those kept), so escaping it again changes
 * nothing. A backslash is left as it is: a title that is literally `\u001b` reads like
 * an escaped ESC, which is harmless; exact values are in `--format json`.
 */
export function showControls(text: string, keep = ''): string {
  return text.replace(UNSAFE_CHARACTER, (ch) => (keep.includes(ch) ? ch : escapeCharacter(ch)));
}
