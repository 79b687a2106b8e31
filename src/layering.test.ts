import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Layering, checked by a machine (as go-containerregistry's depcheck_test.go and VS
 * Code's import rule do). Every import of every .ts/.tsx file under src/ — static,
 * `export … from`, `import type`, dynamic `import()`, `require()`, `import x =
 * require()` and `/// <reference types>` — is held to these rules:
 *
 *   src/shared            ← nothing of ours; never `electron` or a Node built-in (it
 *                           runs in the page too; its tests, which run in Node, may)
 *   src/main/engine       ← src/shared; never `electron`
 *   src/main/credentials  ← the engine and src/shared; never `electron`
 *   src/main/services     ← not api/, desktop/ or web/ (the layers that call it); never
 *                           `electron` (browser mode runs them on plain Node)
 *   src/main/api          ← not desktop/ or web/ (the two transports over it); never `electron`
 *   src/main/web          ← not desktop/ (browser mode runs without Electron); never `electron`
 *   src/main/page         ← what both transports serve; not api/, desktop/ or web/; never `electron`
 *   src/main/desktop      ← anything of src/main (it is the Electron entry, `--web` included)
 *   src/cli, src/lib.ts   ← only the engine, credentials and src/shared (and the CLI
 *                           itself, and package.json for the version); never `electron`
 *   src/renderer          ← only itself and src/shared (plus npm packages); never `electron`
 *                           or a Node built-in (it is a sandboxed web page; tests excepted)
 *   src/preload           ← only itself and src/shared (plus npm packages)
 *
 * Test helpers live in a `testing/` folder of their layer (`src/main/engine/testing/`,
 * `src/main/credentials/testing/`, `src/cli/testing/`, `src/renderer/testing/`): only
 * tests and other helpers import them, never shipped code.
 *
 * And no import cycles between files anywhere under src/ (type-only imports too: a
 * two-way tie is one whatever the runtime makes of it), but those in TYPE_CYCLES.
 */

const SRC = import.meta.dirname;

type Layer =
  | 'shared'
  | 'engine'
  | 'credentials'
  | 'services'
  | 'api'
  | 'web'
  | 'page'
  | 'desktop'
  | 'main' // any other file of src/main
  | 'cli'
  | 'lib' // src/lib.ts, the library's entry
  | 'renderer'
  | 'preload'
  | 'src' // another file directly in src/, such as this test
  | 'package' // the repository's package.json (the CLI reads its version)
  | 'outside'; // anything else outside src/ (test/, …)

const FOLDER: Record<Layer, string> = {
  shared: 'src/shared',
  engine: 'src/main/engine',
  credentials: 'src/main/credentials',
  services: 'src/main/services',
  api: 'src/main/api',
  web: 'src/main/web',
  page: 'src/main/page',
  desktop: 'src/main/desktop',
  main: 'src/main',
  cli: 'src/cli',
  lib: 'src/lib.ts',
  renderer: 'src/renderer',
  preload: 'src/preload',
  src: 'src',
  package: 'package.json',
  outside: 'outside src',
};

const MAIN_PARTS = new Set<Layer>(['engine', 'credentials', 'services', 'api', 'web', 'page', 'desktop']);

/** layerOf says which layer an absolute path belongs to. */
export function layerOf(path: string, srcRoot = SRC): Layer {
  const rel = relative(srcRoot, path);
  if (rel === '') return 'src';
  if (rel === join('..', 'package.json')) return 'package';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return 'outside';
  const [top, second] = rel.split(sep);
  if (top === 'main') return MAIN_PARTS.has(second as Layer) ? (second as Layer) : 'main';
  if (top === 'shared' || top === 'cli' || top === 'renderer' || top === 'preload') return top;
  if (rel === 'lib.ts') return 'lib';
  return 'src';
}

/** Rule: what a layer may not import. `onlyFrom` lists the only layers it may import. */
interface Rule {
  notFrom?: Layer[];
  onlyFrom?: Layer[];
  noElectron?: boolean;
  noNodeBuiltins?: boolean;
}

const RULES: Partial<Record<Layer, Rule>> = {
  shared: { onlyFrom: ['shared'], noElectron: true, noNodeBuiltins: true },
  engine: { onlyFrom: ['engine', 'shared'], noElectron: true },
  credentials: { onlyFrom: ['credentials', 'engine', 'shared'], noElectron: true },
  services: { notFrom: ['api', 'web', 'desktop', 'main', 'cli', 'renderer', 'preload'], noElectron: true },
  api: { notFrom: ['web', 'desktop', 'main', 'cli', 'renderer', 'preload'], noElectron: true },
  web: { notFrom: ['desktop', 'main', 'cli', 'renderer', 'preload'], noElectron: true },
  page: { notFrom: ['api', 'web', 'desktop', 'main', 'cli', 'renderer', 'preload'], noElectron: true },
  desktop: { notFrom: ['cli', 'renderer', 'preload'] },
  cli: { onlyFrom: ['cli', 'engine', 'credentials', 'shared', 'package'], noElectron: true },
  lib: { onlyFrom: ['engine', 'credentials', 'shared', 'package'], noElectron: true },
  renderer: { onlyFrom: ['renderer', 'shared'], noElectron: true, noNodeBuiltins: true },
  preload: { onlyFrom: ['preload', 'shared'] },
};

const isElectron = (specifier: string): boolean =>
  specifier === 'electron' || specifier.startsWith('electron/');

const isPath = (specifier: string): boolean =>
  specifier.startsWith('./') ||
  specifier.startsWith('../') ||
  specifier === '.' ||
  specifier === '..' ||
  specifier.startsWith('/');

export interface ImportSite {
  specifier: string;
  line: number;
}

/** importsOf lists every module a TypeScript source names, with its 1-based line. */
export function importsOf(source: string): ImportSite[] {
  const info = ts.preProcessFile(source, true, true);
  const lineOf = (pos: number): number => source.slice(0, pos).split('\n').length;
  return [...info.importedFiles, ...info.typeReferenceDirectives, ...info.referencedFiles]
    .map((ref) => ({ specifier: ref.fileName, line: lineOf(ref.pos) }))
    .sort((a, b) => a.line - b.line);
}

/**
 * violationsOf checks one file's imports against RULES and returns one message per
 * broken rule, as `path:line: …`. `file` is absolute; messages use paths relative to
 * the repository.
 */
export function violationsOf(file: string, source: string, srcRoot = SRC): string[] {
  const from = layerOf(file, srcRoot);
  const rule = RULES[from];
  if (!rule) return [];
  const where = (line: number): string =>
    `${relative(dirname(srcRoot), file).split(sep).join('/')}:${line}`;
  const found: string[] = [];
  // Tests run in Node, never in the page: they may use Node built-ins to check it.
  const isTest = /\.test\.tsx?$/.test(file);
  const inTesting = file.split(sep).includes('testing');
  for (const { specifier, line } of importsOf(source)) {
    if (isPath(specifier)) {
      const target = resolve(dirname(file), specifier);
      if (!isTest && !inTesting && layerOf(target, srcRoot) !== 'outside' && relative(srcRoot, target).split(sep).includes('testing')) {
        found.push(`${where(line)}: imports '${specifier}', a test helper; only tests and other helpers in testing/ may`);
      }
      const to = layerOf(target, srcRoot);
      if (rule.notFrom?.includes(to) || (rule.onlyFrom && !rule.onlyFrom.includes(to))) {
        const allowed = rule.onlyFrom
          ? `may import only from ${rule.onlyFrom.map((l) => FOLDER[l]).join(' and ')}`
          : `must not import from ${FOLDER[to]}`;
        found.push(`${where(line)}: imports '${specifier}' (${FOLDER[to]}); ${FOLDER[from]} ${allowed}`);
      }
    } else if (rule.noElectron && isElectron(specifier)) {
      found.push(`${where(line)}: imports '${specifier}'; ${FOLDER[from]} must not import electron`);
    } else if (rule.noNodeBuiltins && !isTest && isBuiltin(specifier)) {
      found.push(
        `${where(line)}: imports '${specifier}'; ${FOLDER[from]} runs in a web page and must not import Node built-ins`,
      );
    }
  }
  return found;
}

/**
 * resolveImport names the source file a relative specifier imports (`./x` → `x.ts`,
 * `x.tsx`, `x/index.ts`; `./x.js` → `x.ts`), or undefined for anything else (CSS, JSON).
 */
export function resolveImport(from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  if (/\.(c|m)?js$/.test(base)) candidates.unshift(base.replace(/js$/, 'ts'), base.replace(/js$/, 'tsx'));
  return candidates.find((path) => /\.(c|m)?tsx?$/.test(path) && exists(path));
}

/**
 * TYPE_CYCLES are the cycles allowed, each made of `import type` alone (checked): the
 * renderer store's `types.ts` composes `AppState` from each slice's types while each
 * slice's creator is typed by `AppState` (zustand's slices pattern). Moving the slice
 * types into `types.ts` would end it; when that happens, take the entry out.
 */
const TYPE_CYCLES: readonly string[][] = [
  [
    'src/renderer/store/jobs-slice.ts',
    'src/renderer/store/manifest-slice.ts',
    'src/renderer/store/push-slice.ts',
    'src/renderer/store/types.ts',
  ],
];

/** typeOnlySpecifiers lists the modules a source imports with `import type` and nothing else. */
export function typeOnlySpecifiers(source: string): Set<string> {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest);
  const typeOnly = new Set<string>();
  const value = new Set<string>();
  for (const statement of file.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
    const from = statement.moduleSpecifier;
    if (!from || !ts.isStringLiteral(from)) continue;
    const isType = ts.isImportDeclaration(statement) ? statement.importClause?.isTypeOnly === true : statement.isTypeOnly;
    (isType ? typeOnly : value).add(from.text);
  }
  return new Set([...typeOnly].filter((specifier) => !value.has(specifier)));
}

/**
 * cyclesOf finds the files that import one another, directly or round a longer loop:
 * the strongly connected components of more than one file (Tarjan's algorithm), each
 * sorted, in a stable order. A file importing itself is not counted.
 */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(c|m)?tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('layering', () => {
  it('holds for every source file under src/', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(0);
    // A scan that classifies nothing would pass vacuously; make sure it saw the layers.
    const seen = new Set(files.map((f) => layerOf(f)));
    const layers = ['shared', 'engine', 'credentials', 'services', 'api', 'web', 'page', 'desktop', 'cli', 'lib', 'renderer', 'preload'] as const;
    for (const layer of layers) {
      expect(seen, `no file found in ${FOLDER[layer]}`).toContain(layer);
    }
    const violations = files.flatMap((file) => violationsOf(file, readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('has no import cycles: no two files depend on each other, however far round', () => {
    const files = sourceFiles(SRC);
    const known = new Set(files);
    const graph = new Map(
      files.map((file) => [
        file,
        importsOf(readFileSync(file, 'utf8')).flatMap(({ specifier }) => {
          const to = isPath(specifier) ? resolveImport(file, specifier, (p) => known.has(p)) : undefined;
          return to && to !== file ? [to] : [];
        }),
      ]),
    );
    const named = (file: string): string => relative(dirname(SRC), file).split(sep).join('/');
    const described = (cycle: readonly string[]): string => `cycle among ${cycle.join(', ')}`;
    const cycles = cyclesOf(graph).map((cycle) => cycle.map(named));
    // Each allowed cycle is still there (else drop it from TYPE_CYCLES) and type-only.
    expect(cycles.map(described)).toEqual(TYPE_CYCLES.map(described));
    for (const cycle of TYPE_CYCLES) {
      for (const member of cycle) {
        const file = join(dirname(SRC), member);
        const source = readFileSync(file, 'utf8');
        const typeOnly = typeOnlySpecifiers(source);
        for (const { specifier } of importsOf(source)) {
          const to = isPath(specifier) ? resolveImport(file, specifier, (p) => known.has(p)) : undefined;
          if (to && cycle.includes(named(to))) {
            expect(typeOnly.has(specifier), `${member} imports ${specifier} for more than types`).toBe(true);
          }
        }
      }
    }
  });
});

describe('the layering checker', () => {
  const root = resolve('/repo/src');
  const at = (path: string): string => join(root, path);

  it('finds every kind of import, with its line', () => {
    const source = [
      "/// <reference types='electron' />",
      "import a from 'a';",
      'import type {',
      '  B,',
      "} from '../b';",
      "export * from './c';",
      "const d = await import('d');",
      "const e = require('e');",
      "import f = require('f');",
      "// import g from 'g';",
      "const h = \"import x from 'h'\";",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: 'electron', line: 1 },
      { specifier: 'a', line: 2 },
      { specifier: '../b', line: 5 },
      { specifier: './c', line: 6 },
      { specifier: 'd', line: 7 },
      { specifier: 'e', line: 8 },
      { specifier: 'f', line: 9 },
    ]);
  });

  it('classifies paths by folder, not by prefix', () => {
    expect(layerOf(at('main/engine/digest.ts'), root)).toBe('engine');
    expect(layerOf(at('main/engineering.ts'), root)).toBe('main');
    expect(layerOf(at('main/desktop/window.ts'), root)).toBe('desktop');
    expect(layerOf(at('main/credentials/keychain-store.ts'), root)).toBe('credentials');
    expect(layerOf(at('main/services/jobs.ts'), root)).toBe('services');
    expect(layerOf(at('main/web/server.ts'), root)).toBe('web');
    expect(layerOf(at('shared/x.ts'), root)).toBe('shared');
    expect(layerOf(at('layering.test.ts'), root)).toBe('src');
    expect(layerOf(at('lib.ts'), root)).toBe('lib');
    expect(layerOf(resolve(root, '../package.json'), root)).toBe('package');
    expect(layerOf(resolve(root, '../test/package.json'), root)).toBe('outside');
    expect(layerOf(resolve(root, '../src-other/x.ts'), root)).toBe('outside');
  });

  it('reports each broken rule with file and line', () => {
    const check = (path: string, ...lines: string[]): string[] =>
      violationsOf(at(path), lines.join('\n'), root);

    expect(check('shared/a.ts', "import { x } from '../main/engine/errors';")).toEqual([
      "src/shared/a.ts:1: imports '../main/engine/errors' (src/main/engine); src/shared may import only from src/shared",
    ]);
    expect(check('shared/a.ts', "import { readFile } from 'node:fs';")).toEqual([
      "src/shared/a.ts:1: imports 'node:fs'; src/shared runs in a web page and must not import Node built-ins",
    ]);
    expect(check('main/credentials/a.ts', "import { app } from 'electron';")).toEqual([
      "src/main/credentials/a.ts:1: imports 'electron'; src/main/credentials must not import electron",
    ]);
    expect(check('main/credentials/a.ts', "import { S } from '../services/jobs';")).toHaveLength(1);
    expect(check('main/services/a.ts', "import type { E } from '../api/errors';")).toEqual([
      "src/main/services/a.ts:1: imports '../api/errors' (src/main/api); src/main/services must not import from src/main/api",
    ]);
    expect(check('main/services/x/a.ts', "import { w } from '../../web/server';")).toHaveLength(1);
    expect(check('main/api/a.ts', "import { i } from '../desktop/ipc';")).toHaveLength(1);
    expect(check('main/services/a.ts', "import type { Dialog } from 'electron';")).toHaveLength(1);
    expect(check('main/api/a.ts', "import { ipcMain } from 'electron';")).toHaveLength(1);
    expect(check('main/web/a.ts', "import { w } from '../desktop/window';")).toHaveLength(1);
    expect(check('main/web/a.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(check('main/page/a.ts', "import { h } from '../api/handlers';")).toHaveLength(1);
    expect(check('cli/a.ts', "import { S } from '../main/services';")).toEqual([
      "src/cli/a.ts:1: imports '../main/services' (src/main/services); src/cli may import only from src/cli and src/main/engine and src/main/credentials and src/shared and package.json",
    ]);
    expect(check('cli/commands/a.ts', "import { h } from '../../main/api/handlers';")).toHaveLength(1);
    expect(check('lib.ts', "export { startWebServer } from './main/web/server';")).toHaveLength(1);
    expect(check('lib.ts', "export * from './cli/program';")).toHaveLength(1);
    expect(check('main/engine/oras/copy.ts', "import { TestTarget } from '../testing/test-target';")).toEqual([
      "src/main/engine/oras/copy.ts:1: imports '../testing/test-target', a test helper; only tests and other helpers in testing/ may",
    ]);
    expect(check('shared/a.ts', '', "import { app } from 'electron/main';")).toEqual([
      "src/shared/a.ts:2: imports 'electron/main'; src/shared must not import electron",
    ]);
    expect(check('main/engine/a.ts', "import { w } from '../desktop/window';")).toEqual([
      "src/main/engine/a.ts:1: imports '../desktop/window' (src/main/desktop); src/main/engine may import only from src/main/engine and src/shared",
    ]);
    expect(check('main/engine/x/a.ts', "const c = await import('../../../cli/main');")).toHaveLength(1);
    expect(check('main/engine/a.ts', "import type { App } from 'electron';")).toHaveLength(1);
    expect(check('cli/a.ts', "const { app } = require('electron');")).toHaveLength(1);
    expect(check('renderer/a.tsx', "import type { Api } from '../preload/api';")).toEqual([
      "src/renderer/a.tsx:1: imports '../preload/api' (src/preload); src/renderer may import only from src/renderer and src/shared",
    ]);
    expect(check('renderer/a.tsx', "import { ipcRenderer } from 'electron';")).toHaveLength(1);
    expect(check('renderer/a.tsx', "import { readFile } from 'node:fs';")).toHaveLength(1);
    expect(check('renderer/a.tsx', "import pkg from '../../package.json';")).toHaveLength(1);
    expect(check('preload/a.ts', "import { x } from '../main/engine/digest';")).toHaveLength(1);
  });

  it('finds cycles, however long, and only real ones', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', ['d']],
      ['e', ['f']],
      ['f', ['e']],
      ['g', ['a']],
    ]);
    expect(cyclesOf(graph)).toEqual([
      ['a', 'b', 'c'],
      ['e', 'f'],
    ]);
  });

  it('tells type-only imports from value imports', () => {
    const source = [
      "import type { A } from './a';",
      "import { type B } from './b';",
      "import type { C } from './c';",
      "import { c } from './c';",
      "export type { D } from './d';",
    ].join('\n');
    expect([...typeOnlySpecifiers(source)].sort()).toEqual(['./a', './d']);
  });

  it('resolves relative imports to source files', () => {
    const files = new Set([at('a.ts'), at('b/index.ts'), at('c.tsx')]);
    const exists = (p: string): boolean => files.has(p);
    expect(resolveImport(at('x.ts'), './a', exists)).toBe(at('a.ts'));
    expect(resolveImport(at('x.ts'), './a.js', exists)).toBe(at('a.ts'));
    expect(resolveImport(at('x.ts'), './b', exists)).toBe(at('b/index.ts'));
    expect(resolveImport(at('x.ts'), './c', exists)).toBe(at('c.tsx'));
    expect(resolveImport(at('x.ts'), './styles.css', exists)).toBeUndefined();
  });

  it('lets each layer import what it may', () => {
    const ok = (path: string, source: string): void =>
      expect(violationsOf(at(path), source, root), `${path}: ${source}`).toEqual([]);
    ok('shared/a.ts', "import { z } from 'zod'; import { b } from './b';");
    ok('main/engine/a.ts', "import type { E } from '../../shared/error-codes'; import 'node:crypto';");
    ok('main/engine/content/a.ts', "import { d } from '../descriptor';");
    ok('main/desktop/window.ts', "import { BrowserWindow } from 'electron'; import { d } from '../engine/digest';");
    ok('main/desktop/index.ts', "import { runWeb } from '../web/run'; import { h } from '../api/handlers'; import { c } from '../page/csp';");
    ok('main/credentials/a.ts', "import { R } from '../engine/registry/registry'; import type { E } from '../../shared/error-codes';");
    ok('main/services/a.ts', "import { L } from '../credentials'; import { j } from './jobs';");
    ok('main/api/a.ts', "import type { AppServices } from '../services';");
    ok('main/web/a.ts', "import { h } from '../api/handlers'; import { c } from '../page/csp'; import 'node:http';");
    ok('cli/a.ts', "import { copy } from '../main/engine/oras'; import { Command } from 'commander';");
    ok('cli/commands/a.ts', "import { L } from '../../main/credentials'; import { version } from '../../../package.json';");
    ok('lib.ts', "export * from './main/engine'; export { LoginService } from './main/credentials';");
    ok('shared/a.test.ts', "import { execFile } from 'node:child_process';");
    ok('main/engine/oras/copy.test.ts', "import { TestTarget } from '../testing/test-target';");
    ok('main/engine/testing/b.ts', "import { a } from './a'; import { d } from '../digest';");
    ok('renderer/App.tsx', "import { create } from 'zustand'; import { E } from '../shared/error-codes'; import './styles.css';");
    ok('preload/index.ts', "import { contextBridge } from 'electron'; import { c } from '../shared/contract';");
  });
});
