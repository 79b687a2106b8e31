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

/** SAFE: how the argument of `.write(` may begin. */
const SAFE = [/^tt`/, /^showLines\(/, /^jsonText\(/, /^'(?:[^'\\]|\\.)*'\s*\)/];

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
  argument: string;
}

function writesIn(file: string, text = readFileSync(file, 'utf8')): Write[] {
  const writes: Write[] = [];
  for (const match of text.matchAll(/[\w.!]*\.write\(/g)) {
    const start = match.index + match[0].length;
    writes.push({
      file: path.relative(CLI, file),
      line: text.slice(0, match.index).split('\n').length,
      call: text.slice(match.index, text.indexOf(')', start) + 1),
      argument: text.slice(start, start + 200).trimStart(),
    });
  }
  return writes;
}

/** unsafeWrites lists the writes neither SAFE nor AUDITED, as `file:line: call`. */
function unsafeWrites(writes: Write[]): string[] {
  return writes
    .filter((w) => !SAFE.some((pattern) => pattern.test(w.argument)))
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
    ].join('\n');
    expect(unsafeWrites(writesIn(path.join(CLI, 'sample.ts'), sample)).map((w) => w.replace(/:.*?: /, ': '))).toEqual([
      'sample.ts: io.stdout.write(`Pulled ${name}\\n`)',
      'sample.ts: io.stdout.write(name)',
      "sample.ts: io.stdout.write('Tagged ' + tag)",
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

  it('never prints with console.*, which would bypass the escaping and the CLI’s streams', () => {
    const uses = files.filter((f) => /\bconsole\.(log|error|warn|info)\(/.test(readFileSync(f, 'utf8')));
    expect(uses.map((f) => path.relative(CLI, f))).toEqual([]);
  });
});
