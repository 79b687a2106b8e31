import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every write to a terminal in the CLI goes through the escaping of terminal-text.ts,
 * so a registry's words are shown, never obeyed (issue 11 §3). This test reads the
 * CLI's source and fails on a write whose text is not made by `tt`, `showLines` or
 * `jsonText`, nor a plain literal: a new command that forgets is caught here, not by
 * a hostile registry.
 */

const CLI = path.resolve(import.meta.dirname);

/**
 * SAFE: what the argument of `.write(` may be, whole: a `tt` template, a call of
 * `showLines`, `jsonText` or `templateText`, or a string literal (so `tt\`…\` + tag` is not safe).
 */
const SAFE = [/^tt`/, /^showLines\(/, /^jsonText\(/, /^templateText\(/, /^'/];

/** AUDITED: writes that are safe for a reason the patterns cannot see, each with it. */
const AUDITED: Array<{ file: string; call: string; reason: string }> = [
  { file: 'progress.ts', call: 'this.out.write(text)', reason: 'our cursor codes around lines of escaped labels (label() uses tt)' },
  { file: 'terminal-text.ts', call: 'decoder.write(chunk)', reason: 'a StringDecoder, not a stream; its text is escaped before it is passed on' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'test-io.ts' ? [full] : [];
  });
}

interface Write {
  file: string;
  line: number;
  call: string;
  /** whether the whole argument is one of SAFE */
  safe: boolean;
}

/**
 * skipToken returns the index after the literal, template or bracketed group that
 * starts at `i` (nested templates, strings and brackets respected), or after the one
 * character there.
 */
function skipToken(text: string, i: number): number {
  const open = text[i];
  if (open === "'" || open === '"') {
    let j = i + 1;
    while (j < text.length && text[j] !== open) j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (open === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== '`') {
      if (text[j] === '\\') j += 2;
      else if (text[j] === '$' && text[j + 1] === '{') j = skipToken(text, j + 1);
      else j++;
    }
    return j + 1;
  }
  const close = { '(': ')', '{': '}', '[': ']' }[open ?? ''];
  if (close === undefined) return i + 1;
  let j = i + 1;
  while (j < text.length && text[j] !== close) j = skipToken(text, j);
  return j + 1;
}

/** isSafeArgument: the argument at `start` is one SAFE token and nothing after it. */
function isSafeArgument(text: string, start: number): boolean {
  const rest = text.slice(start);
  const pattern = SAFE.find((p) => p.test(rest));
  if (!pattern) return false;
  const head = pattern.exec(rest)![0];
  // The head ends where its token opens: the backtick, the quote, or the call's "(".
  const end = skipToken(text, start + head.length - 1);
  return /^\s*\)/.test(text.slice(end));
}

function writesIn(file: string, text = readFileSync(file, 'utf8')): Write[] {
  const writes: Write[] = [];
  for (const match of text.matchAll(/[\w.!]*\.write\(/g)) {
    let start = match.index + match[0].length;
    while (/\s/.test(text[start] ?? '')) start++;
    const end = skipToken(text, match.index + match[0].length - 1);
    writes.push({
      file: path.relative(CLI, file),
      line: text.slice(0, match.index).split('\n').length,
      call: text.slice(match.index, end),
      safe: isSafeArgument(text, start),
    });
  }
  return writes;
}

/** unsafeWrites lists the writes neither SAFE nor AUDITED, as `file:line: call`. */
function unsafeWrites(writes: Write[]): string[] {
  return writes
    .filter((w) => !w.safe)
    .filter((w) => !AUDITED.some((a) => w.file === a.file && w.call === a.call))
    .map((w) => `${w.file}:${w.line}: ${w.call}`);
}

describe('terminal output of the CLI', () => {
  const files = sourceFiles(CLI);

  it('tells an escaped write from one that is not', () => {
    const sample = [
      "io.stdout.write(tt`Pulled ${name}\\n`);",
      "io.stderr.write('Not deleted.\\n');",
      'io.stdout.write(`Pulled ${name}\\n`);',
      'io.stdout.write(name);',
      "io.stdout.write('Tagged ' + tag);",
      'io.stdout.write(tt`Tagged ${`${a}`}` + tag);',
      "io.stdout.write(jsonText({ a: ')' }));",
      "io.stdout.write(jsonText(value) + tail);",
    ].join('\n');
    expect(unsafeWrites(writesIn(path.join(CLI, 'sample.ts'), sample)).map((w) => w.replace(/:.*?: /, ': '))).toEqual([
      'sample.ts: io.stdout.write(`Pulled ${name}\\n`)',
      'sample.ts: io.stdout.write(name)',
      "sample.ts: io.stdout.write('Tagged ' + tag)",
      'sample.ts: io.stdout.write(tt`Tagged ${`${a}`}` + tag)',
      'sample.ts: io.stdout.write(jsonText(value) + tail)',
    ]);
  });

  it('finds the CLI source (the scan is not vacuous)', () => {
    expect(files.some((f) => f.endsWith(path.join('commands', 'pull.ts')))).toBe(true);
    expect(files.flatMap((f) => writesIn(f)).length).toBeGreaterThan(30);
  });

  it('writes nothing to a stream that is not escaped by terminal-text.ts', () => {
    const unsafe = unsafeWrites(files.flatMap((f) => writesIn(f)));
    expect(unsafe, 'write through tt`…`, showLines() or jsonText() (src/cli/terminal-text.ts)').toEqual([]);
  });

  it('has no audited exception left that no longer exists', () => {
    const writes = files.flatMap((f) => writesIn(f));
    for (const a of AUDITED) expect(writes.some((w) => w.file === a.file && w.call === a.call), `${a.file}: ${a.call}`).toBe(true);
  });

  it('streams content to stdout only through writeOutput, which shows a terminal an escaped view', () => {
    const piping = files.filter((f) => /(pipeline\([^;]*|\.pipe\()\b(io\.|process\.)?std(out|err)\b/.test(readFileSync(f, 'utf8')));
    expect(piping.map((f) => path.relative(CLI, f))).toEqual(['output-file.ts']);
  });

  it('never prints with console.*, which would bypass the escaping and the CLI’s streams', () => {
    const uses = files.filter((f) => /\bconsole\.(log|error|warn|info)\(/.test(readFileSync(f, 'utf8')));
    expect(uses.map((f) => path.relative(CLI, f))).toEqual([]);
  });
});
