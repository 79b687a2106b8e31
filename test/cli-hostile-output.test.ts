import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Descriptor } from '../src/main/engine/descriptor';
import { digestOf } from '../src/main/engine/digest';
import { MediaType } from '../src/main/engine/media-type';
import { Registry } from '../src/main/engine/registry/registry';
import { bundleNode } from '../scripts/bundle-node.mjs';
import { blob, manifestFor } from './support/content';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { startRegistry, type Registry as TestRegistry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * Output a registry cannot take over (issue 11 §3). A registry (and a fake one where a
 * real registry cannot hold the string: tags, error messages, realms) hands the CLI
 * titles, annotations, tags, media types and messages full of terminal controls; the
 * real `oras` process runs every command that shows them, and the exact bytes it
 * writes to stdout and stderr hold no C0 control but the line break, no DEL, no C1
 * control and no bidi or invisible character, while the escaped forms are there to read.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const ESC = '\u001b';
/** The title of the issue: sets the window title, rings the bell, clears the screen. */
const HOSTILE = `${ESC}]0;pwned\u0007${ESC}[2Jx.txt`;
const HOSTILE_SHOWN = '\\u001b]0;pwned\\u0007\\u001b[2Jx.txt';
/** Everything else a terminal obeys: NUL, C1 CSI, DEL, a bidi override, a line break. */
const ALL = `a\u0000b\u009b2Jc\u007fd\u202egnp.exe\ne`;
const ALL_SHOWN = 'a\\u0000b\\u009b2Jc\\u007fd\\u202egnp.exe\\ne';
/** A file name that reads `exe.png` on screen but is `\u202egnp.exe`, with a C1 and a DEL. */
const BIDI_NAME = '\u202egnp.exe\u009b\u007f';
const BIDI_SHOWN = '\\u202egnp.exe\\u009b\\u007f';

/** FORBIDDEN: code points that must never be written raw (line break and tab allowed by the caller). */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** OUR_CURSOR_CODES: the progress bars' own redraw (up N lines, carriage return, clear below). */
const OUR_CURSOR_CODES = /\u001b\[\d+A\r\u001b\[0J/g;

/**
 * expectTerminalSafe checks the bytes a stream got: no C0 byte but 0x0a, no 0x7f, and,
 * read as UTF-8, no C1, bidi or invisible code point. `ours` strips the progress bars'
 * own cursor codes first, the only escape sequences the CLI may write.
 */
function expectTerminalSafe(bytes: Buffer, what: string, options: { ours?: boolean } = {}): void {
  let text = bytes.toString('utf8');
  if (options.ours) text = text.replace(OUR_CURSOR_CODES, '');
  const raw = Buffer.from(text, 'utf8');
  const badByte = raw.findIndex((b) => (b < 0x20 && b !== 0x0a) || b === 0x7f);
  expect(badByte, `${what}: byte 0x${raw[badByte]?.toString(16)} at ${badByte} in ${JSON.stringify(text.slice(Math.max(0, badByte - 40), badByte + 20))}`).toBe(-1);
  const bad = FORBIDDEN.exec(text);
  expect(bad, `${what}: U+${bad?.[0].codePointAt(0)?.toString(16)} in ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 40), (bad?.index ?? 0) + 20))}`).toBeNull();
}

interface Run {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
  /** both streams decoded, for messages */
  text: string;
}

const tempDir = useTempDirs('oras-hostile-');
let cliDir: string;
let cliMain: string;
let home: string;

/** oras runs the CLI as a process of its own with pipes, keeping the exact bytes it writes. */
function oras(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TERM: 'xterm' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err);
      resolve({ code: code ?? -1, stdout, stderr, text: `${stdout.toString()}${stderr.toString()}` });
    });
  });
}

const shellQuote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * onTerminal runs the CLI on a pseudo-terminal (`script`), as a user at a terminal
 * does: progress bars on stderr, and content shown rather than piped. `stty -onlcr`
 * keeps the terminal from turning each `\n` into `\r\n`, so a CR in the output is ours.
 */
function onTerminal(args: string[], cwd: string): Promise<{ code: number; output: Buffer }> {
  const line = `stty -onlcr; exec ${[process.execPath, cliMain, ...args].map(shellQuote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TERM: 'xterm' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output: Buffer.concat(out) }));
  });
}

beforeAll(async () => {
  cliDir = path.join(ROOT, 'dist', `test-cli-hostile-${randomBytes(4).toString('hex')}`);
  await mkdir(cliDir, { recursive: true });
  await bundleNode(path.join(ROOT, 'src', 'cli', 'main.ts'), path.join(cliDir, 'cli.js'));
  cliMain = path.join(cliDir, 'oras.mjs');
  await writeFile(cliMain, "import { run } from './cli.js';\nawait run();\n");
  home = await tempDir();
});
afterAll(async () => {
  if (cliDir) await rm(cliDir, { recursive: true, force: true });
});

describe('oras shows what a registry sends, never obeys it', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let host: string;
  let artManifest: { desc: Descriptor; bytes: Buffer };
  const EMPTY = blob('{}', MediaType.Empty);
  const hello = blob('hello\n', 'text/plain');
  const world = blob('world\n', 'text/plain');

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
    host = registry.host;
    const engine = new Registry(registry.host);
    try {
      const titled = (content: { desc: Descriptor }, title: string, more: Record<string, string> = {}): Descriptor => ({
        ...content.desc,
        annotations: { 'org.opencontainers.image.title': title, ...more },
      });
      const put = async (repository: string, layers: Descriptor[], extra: Record<string, unknown> = {}) => {
        const repo = engine.repository(repository);
        for (const c of [EMPTY, hello, world]) await repo.push(c.desc, Readable.from([c.bytes]));
        const manifest = manifestFor(EMPTY.desc, layers, extra);
        await repo.pushManifest(manifest.desc, manifest.bytes, 'v1');
        return manifest;
      };
      artManifest = await put('hostile/art', [titled(hello, HOSTILE, { 'org.example.note': ALL }), titled(world, BIDI_NAME)], {
        artifactType: 'application/vnd.example.hostile',
        annotations: { 'org.example.note': ALL, [`key${ESC}[2J`]: HOSTILE },
      });
      await put('hostile/escape', [titled(hello, `../outside-${ESC}[2J.txt`)]);
      await put('hostile/nul', [titled(hello, 'nul\u0000.txt')]);
    } finally {
      await engine.close();
    }
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('push and attach print a hostile file name escaped in their progress and result lines', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, HOSTILE), 'pushed\n');
    await writeFile(path.join(cwd, 'annotations.json'), JSON.stringify({ $manifest: { 'org.example.note': ALL } }));
    const push = await oras(['push', `${host}/hostile/pushed:v1`, `${HOSTILE}:text/plain`, '-a', `org.example.note=${HOSTILE}`], cwd);
    expect(push.code, push.text).toBe(0);
    expectTerminalSafe(push.stdout, 'push stdout');
    expectTerminalSafe(push.stderr, 'push stderr');
    expect(push.stdout.toString()).toContain(`Uploaded  ${digestOf(Buffer.from('pushed\n')).slice(7, 19)} ${HOSTILE_SHOWN}`);

    const attach = await oras(
      ['attach', `${host}/hostile/art:v1`, `${HOSTILE}:text/plain`, '--artifact-type', 'application/vnd.example.sig', '--annotation-file', 'annotations.json'],
      cwd,
    );
    expect(attach.code, attach.text).toBe(0);
    expectTerminalSafe(attach.stdout, 'attach stdout');
    expectTerminalSafe(attach.stderr, 'attach stderr');
    expect(attach.stdout.toString()).toContain(HOSTILE_SHOWN);
    expect(attach.stdout.toString()).toContain(`Attached to [registry] ${host}/hostile/art@${artManifest.desc.digest}`);
  });

  it('pull shows hostile titles escaped and writes them as files inside the folder only', async () => {
    const cwd = await tempDir();
    const pull = await oras(['pull', `${host}/hostile/art:v1`, '-o', 'out'], cwd);
    expect(pull.code, pull.text).toBe(0);
    expectTerminalSafe(pull.stdout, 'pull stdout');
    expectTerminalSafe(pull.stderr, 'pull stderr');
    const stdout = pull.stdout.toString();
    expect(stdout).toContain(`Downloaded  ${hello.desc.digest.slice(7, 19)} ${HOSTILE_SHOWN}`);
    expect(stdout).toContain(`Downloaded  ${world.desc.digest.slice(7, 19)} ${BIDI_SHOWN}`);
    // The names are the registry's, exactly, and nothing is written beside the folder.
    expect((await readdir(path.join(cwd, 'out'))).sort()).toEqual([HOSTILE, BIDI_NAME].sort());
    expect(await readdir(cwd)).toEqual(['out']);

    const json = await oras(['pull', `${host}/hostile/art:v1`, '-o', 'again', '--format', 'json'], cwd);
    expect(json.code, json.text).toBe(0);
    expectTerminalSafe(json.stdout, 'pull --format json');
    const files = (JSON.parse(json.stdout.toString()) as { files: Array<{ path: string }> }).files.map((f) => path.basename(f.path));
    expect(files.sort()).toEqual([HOSTILE, BIDI_NAME].sort());
  });

  it('pull refuses a title that climbs out of the folder or holds NUL, and says so safely', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'inner'));
    const escape = await oras(['pull', `${host}/hostile/escape:v1`, '-o', 'out'], path.join(cwd, 'inner'));
    expect(escape.code).toBe(1);
    expectTerminalSafe(escape.stdout, 'pull (..) stdout');
    expectTerminalSafe(escape.stderr, 'pull (..) stderr');
    expect(escape.stderr.toString()).toMatch(/outside|climbs out/);
    expect(escape.stderr.toString()).toContain('\\u001b[2J');
    expect(await readdir(cwd)).toEqual(['inner']);

    const nul = await oras(['pull', `${host}/hostile/nul:v1`, '-o', 'out'], cwd);
    expect(nul.code).toBe(1);
    expectTerminalSafe(nul.stderr, 'pull (NUL) stderr');
    expect(nul.stderr.toString()).toMatch(/NUL/);
    expect(nul.stderr.toString()).toContain('\\u0000');
  });

  it('manifest fetch shows annotations escaped (--pretty, --descriptor, json) and keeps exact bytes for a pipe', async () => {
    const cwd = await tempDir();
    const pretty = await oras(['manifest', 'fetch', `${host}/hostile/art:v1`, '--pretty'], cwd);
    expect(pretty.code, pretty.text).toBe(0);
    expectTerminalSafe(pretty.stdout, 'manifest fetch --pretty');
    // The escapes are JSON's own: the document means exactly what the registry sent.
    expect(JSON.parse(pretty.stdout.toString())).toEqual(JSON.parse(artManifest.bytes.toString()));
    expect(pretty.stdout.toString()).toContain('\\u009b');

    const descriptor = await oras(['manifest', 'fetch', `${host}/hostile/art:v1`, '--descriptor'], cwd);
    expect(descriptor.code, descriptor.text).toBe(0);
    expectTerminalSafe(descriptor.stdout, 'manifest fetch --descriptor');

    const json = await oras(['manifest', 'fetch', `${host}/hostile/art:v1`, '--format', 'json'], cwd);
    expect(json.code, json.text).toBe(0);
    expectTerminalSafe(json.stdout, 'manifest fetch --format json');
    expect((JSON.parse(json.stdout.toString()) as { content: unknown }).content).toEqual(JSON.parse(artManifest.bytes.toString()));

    // To a pipe or file, `manifest fetch` is the manifest's exact bytes (its digest holds).
    const raw = await oras(['manifest', 'fetch', `${host}/hostile/art:v1`], cwd);
    expect(raw.code, raw.text).toBe(0);
    expect(raw.stdout.equals(artManifest.bytes)).toBe(true);
  });

  it('resolve and discover (tree, table, json) print only escaped text', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'note.json'), JSON.stringify({ $manifest: { 'org.example.note': ALL, [`key${ESC}[2J`]: HOSTILE } }));
    await writeFile(path.join(cwd, 'note.txt'), 'note\n');
    const attach = await oras(['attach', `${host}/hostile/art:v1`, 'note.txt', '--artifact-type', 'application/vnd.example.note', '--annotation-file', 'note.json'], cwd);
    expect(attach.code, attach.text).toBe(0);
    for (const args of [['resolve', `${host}/hostile/art:v1`], ['resolve', '-l', `${host}/hostile/art:v1`]]) {
      const run = await oras(args, cwd);
      expect(run.code, run.text).toBe(0);
      expectTerminalSafe(run.stdout, args.join(' '));
      expect(run.stdout.toString()).toContain(artManifest.desc.digest);
    }
    for (const format of ['tree', 'table', 'json', 'go-template={{range .referrers}}{{.artifactType}} {{.annotations}}{{end}}']) {
      const run = await oras(['discover', `${host}/hostile/art:v1`, '--format', format], cwd);
      expect(run.code, run.text).toBe(0);
      expectTerminalSafe(run.stdout, `discover --format ${format} stdout`);
      expectTerminalSafe(run.stderr, `discover --format ${format} stderr`);
      expect(run.stdout.toString()).toContain('application/vnd.example.note');
      if (format === 'json') {
        const tree = JSON.parse(run.stdout.toString()) as { referrers: Array<{ artifactType?: string; annotations?: Record<string, string> }> };
        const note = tree.referrers.find((m) => m.artifactType === 'application/vnd.example.note');
        expect(note?.annotations?.['org.example.note']).toBe(ALL);
      }
    }
  });

  it('a referrers list with a hostile artifact type is refused in an escaped message', async () => {
    const cwd = await tempDir();
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ImageIndex,
      manifests: [{ mediaType: MediaType.ImageManifest, digest: artManifest.desc.digest, size: artManifest.desc.size, artifactType: `application/${ESC}[2J\u202eexe`, annotations: { note: ALL } }],
    });
    proxy.inject((req) =>
      req.method === 'GET' && req.url.startsWith('/v2/hostile/art/referrers/')
        ? { kind: 'status', status: 200, headers: { 'content-type': MediaType.ImageIndex }, body: index }
        : undefined,
    );
    try {
      for (const format of ['tree', 'json']) {
        const run = await oras(['discover', `${proxy.host}/hostile/art:v1`, '--format', format], cwd);
        expectTerminalSafe(run.stdout, `discover via fake referrers (${format}) stdout`);
        expectTerminalSafe(run.stderr, `discover via fake referrers (${format}) stderr`);
        expect(run.text).toMatch(/\\u001b\[2J|\\u202e/);
      }
    } finally {
      proxy.inject();
    }
  });

  it('repo tags and repo ls show lists full of controls escaped, and json keeps them exactly', async () => {
    const cwd = await tempDir();
    const tags = ['v1', `${ESC}[2Jclear`, BIDI_NAME, 'nul\u0000', `line\nbreak`];
    proxy.inject((req) =>
      req.method === 'GET' && req.url.startsWith('/v2/hostile/art/tags/list')
        ? { kind: 'status', status: 200, body: JSON.stringify({ name: 'hostile/art', tags }) }
        : req.method === 'GET' && req.url.startsWith('/v2/_catalog')
          ? { kind: 'status', status: 200, body: JSON.stringify({ repositories: ['hostile/art', `hostile/${HOSTILE}`] }) }
          : undefined,
    );
    try {
      const text = await oras(['repo', 'tags', `${proxy.host}/hostile/art`], cwd);
      expect(text.code, text.text).toBe(0);
      expectTerminalSafe(text.stdout, 'repo tags');
      expect(text.stdout.toString()).toBe(['v1', '\\u001b[2Jclear', BIDI_SHOWN, 'nul\\u0000', 'line\\nbreak', ''].join('\n'));

      const json = await oras(['repo', 'tags', `${proxy.host}/hostile/art`, '--format', 'json'], cwd);
      expect(json.code, json.text).toBe(0);
      expectTerminalSafe(json.stdout, 'repo tags --format json');
      expect((JSON.parse(json.stdout.toString()) as { tags: string[] }).tags).toEqual(tags);

      const catalog = await oras(['repo', 'ls', `${proxy.host}/hostile`], cwd);
      expect(catalog.code, catalog.text).toBe(0);
      expectTerminalSafe(catalog.stdout, 'repo ls');
      expect(catalog.stdout.toString()).toBe(`art\n${HOSTILE_SHOWN}\n`);
    } finally {
      proxy.inject();
    }
  });

  it("an error quoting the registry's message or its token realm is escaped", async () => {
    const cwd = await tempDir();
    proxy.inject((req) =>
      req.url.startsWith('/v2/hostile/denied/')
        ? { kind: 'status', status: 403, body: JSON.stringify({ errors: [{ code: 'DENIED', message: `${HOSTILE} ${ALL}` }] }) }
        : req.url.startsWith('/v2/hostile/realm/')
          ? { kind: 'status', status: 401, headers: { 'www-authenticate': 'Bearer realm="\u009b2J\u00adnot a url\u0085",service="x"' } }
          : undefined,
    );
    try {
      const denied = await oras(['manifest', 'fetch', `${proxy.host}/hostile/denied:v1`], cwd);
      expect(denied.code).toBe(1);
      expectTerminalSafe(denied.stdout, 'denied stdout');
      expectTerminalSafe(denied.stderr, 'denied stderr');
      expect(denied.stderr.toString()).toContain(HOSTILE_SHOWN);

      const debug = await oras(['manifest', 'fetch', `${proxy.host}/hostile/denied:v1`, '--debug'], cwd);
      expectTerminalSafe(debug.stderr, 'denied --debug stderr');

      const realm = await oras(['resolve', `${proxy.host}/hostile/realm:v1`], cwd);
      expect(realm.code).toBe(1);
      expectTerminalSafe(realm.stderr, 'realm stderr');
      expect(realm.stderr.toString()).toMatch(/realm/);
      expect(realm.stderr.toString()).toContain('\\u009b');
    } finally {
      proxy.inject();
    }
  });

  it('usage errors quoting the command line are escaped too', async () => {
    const cwd = await tempDir();
    const reference = await oras(['resolve', `${host}/bad\u202e${ESC}[2J:v1`], cwd);
    expect(reference.code).toBe(1);
    expectTerminalSafe(reference.stderr, 'bad reference');
    expect(reference.stderr.toString()).toMatch(/\\u202e/);

    const option = await oras(['resolve', `--x${ESC}]0;pwned\u0007`, `${host}/hostile/art:v1`], cwd);
    expect(option.code).toBe(1);
    expectTerminalSafe(option.stderr, 'unknown option');
    expect(option.stderr.toString()).toContain('\\u001b]0;pwned\\u0007');
  });

  it('on a terminal: progress bars and a fetched manifest carry no escape sequence but our own', async () => {
    const cwd = await tempDir();
    const pull = await onTerminal(['pull', `${host}/hostile/art:v1`, '-o', 'out'], cwd);
    expect(pull.code, pull.output.toString()).toBe(0);
    expectTerminalSafe(pull.output, 'pull on a terminal', { ours: true });
    // Bars mode (lines would say "Downloaded" without the check mark).
    expect(pull.output.toString()).toContain(`✓ Downloaded  ${hello.desc.digest.slice(7, 19)} ${HOSTILE_SHOWN}`);

    const fetched = await onTerminal(['manifest', 'fetch', `${host}/hostile/art:v1`], cwd);
    expect(fetched.code, fetched.output.toString()).toBe(0);
    expectTerminalSafe(fetched.output, 'manifest fetch on a terminal');
    // Shown, the manifest is still the same JSON.
    expect(JSON.parse(fetched.output.toString())).toEqual(JSON.parse(artManifest.bytes.toString()));

    const config = await onTerminal(['manifest', 'fetch-config', `${host}/hostile/art:v1`], cwd);
    expect(config.code, config.output.toString()).toBe(0);
    expectTerminalSafe(config.output, 'manifest fetch-config on a terminal');
  });
});
