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
 *   src/shared       ← nothing of ours; never `electron`
 *   src/main/engine  ← src/shared; never the rest of src/main, src/cli, src/renderer,
 *                      src/preload; never `electron`
 *   src/cli          ← never `electron`
 *   src/renderer     ← only itself and src/shared (plus npm packages); never `electron`
 *                      or a Node built-in (it is a sandboxed web page)
 *   src/preload      ← only itself and src/shared (plus npm packages)
 */

const SRC = import.meta.dirname;

type Layer =
  | 'shared'
  | 'engine'
  | 'main'
  | 'cli'
  | 'renderer'
  | 'preload'
  | 'src' // a file directly in src/, such as this test
  | 'outside'; // outside src/ (package.json, test/, …)

const FOLDER: Record<Layer, string> = {
  shared: 'src/shared',
  engine: 'src/main/engine',
  main: 'src/main',
  cli: 'src/cli',
  renderer: 'src/renderer',
  preload: 'src/preload',
  src: 'src',
  outside: 'outside src',
};

/** layerOf says which layer an absolute path belongs to. */
export function layerOf(path: string, srcRoot = SRC): Layer {
  const rel = relative(srcRoot, path);
  if (rel === '') return 'src';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return 'outside';
  const [top, second] = rel.split(sep);
  if (top === 'main') return second === 'engine' ? 'engine' : 'main';
  if (top === 'shared' || top === 'cli' || top === 'renderer' || top === 'preload') return top;
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
  shared: { notFrom: ['engine', 'main', 'cli', 'renderer', 'preload'], noElectron: true },
  engine: { notFrom: ['main', 'cli', 'renderer', 'preload'], noElectron: true },
  cli: { noElectron: true },
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
  for (const { specifier, line } of importsOf(source)) {
    if (isPath(specifier)) {
      const to = layerOf(resolve(dirname(file), specifier), srcRoot);
      if (rule.notFrom?.includes(to) || (rule.onlyFrom && !rule.onlyFrom.includes(to))) {
        const allowed = rule.onlyFrom
          ? `may import only from ${rule.onlyFrom.map((l) => FOLDER[l]).join(' and ')}`
          : `must not import from ${FOLDER[to]}`;
        found.push(`${where(line)}: imports '${specifier}' (${FOLDER[to]}); ${FOLDER[from]} ${allowed}`);
      }
    } else if (rule.noElectron && isElectron(specifier)) {
      found.push(`${where(line)}: imports '${specifier}'; ${FOLDER[from]} must not import electron`);
    } else if (rule.noNodeBuiltins && isBuiltin(specifier)) {
      found.push(
        `${where(line)}: imports '${specifier}'; ${FOLDER[from]} runs in a sandboxed page and must not import Node built-ins`,
      );
    }
  }
  return found;
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
    for (const layer of ['shared', 'engine', 'main', 'renderer', 'preload'] as const) {
      expect(seen, `no file found in ${FOLDER[layer]}`).toContain(layer);
    }
    const violations = files.flatMap((file) => violationsOf(file, readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
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
    expect(layerOf(at('main/desktop/window.ts'), root)).toBe('main');
    expect(layerOf(at('shared/x.ts'), root)).toBe('shared');
    expect(layerOf(at('layering.test.ts'), root)).toBe('src');
    expect(layerOf(resolve(root, '../package.json'), root)).toBe('outside');
    expect(layerOf(resolve(root, '../src-other/x.ts'), root)).toBe('outside');
  });

  it('reports each broken rule with file and line', () => {
    const check = (path: string, ...lines: string[]): string[] =>
      violationsOf(at(path), lines.join('\n'), root);

    expect(check('shared/a.ts', "import { x } from '../main/engine/errors';")).toEqual([
      "src/shared/a.ts:1: imports '../main/engine/errors' (src/main/engine); src/shared must not import from src/main/engine",
    ]);
    expect(check('shared/a.ts', '', "import { app } from 'electron/main';")).toEqual([
      "src/shared/a.ts:2: imports 'electron/main'; src/shared must not import electron",
    ]);
    expect(check('main/engine/a.ts', "import { w } from '../window';")).toEqual([
      "src/main/engine/a.ts:1: imports '../window' (src/main); src/main/engine must not import from src/main",
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

  it('lets each layer import what it may', () => {
    const ok = (path: string, source: string): void =>
      expect(violationsOf(at(path), source, root), `${path}: ${source}`).toEqual([]);
    ok('shared/a.ts', "import { z } from 'zod'; import { b } from './b';");
    ok('main/engine/a.ts', "import type { E } from '../../shared/error-codes'; import 'node:crypto';");
    ok('main/engine/content/a.ts', "import { d } from '../descriptor';");
    ok('main/desktop/window.ts', "import { BrowserWindow } from 'electron'; import { d } from '../engine/digest';");
    ok('cli/a.ts', "import { copy } from '../main/engine/oras'; import { Command } from 'commander';");
    ok('renderer/App.tsx', "import { create } from 'zustand'; import { E } from '../shared/error-codes'; import './styles.css';");
    ok('preload/index.ts', "import { contextBridge } from 'electron'; import { c } from '../shared/contract';");
  });
});
