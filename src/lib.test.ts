import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The library's public surface (src/lib.ts, `import … from 'oras-desktop'`) is chosen
 * name by name and documented: every export has a doc comment where it is defined
 * (what editors show on hover), and the main verbs say what they throw and show an
 * example.
 */

const LIB = path.join(import.meta.dirname, 'lib.ts');
const MAIN_VERBS = ['push', 'pull', 'copy', 'tag', 'resolve', 'fetchManifest', 'attach', 'discover', 'packManifest', 'LoginService'];

function publicExports(): { name: string; doc: string; tags: string[]; from: string }[] {
  const program = ts.createProgram([LIB], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(LIB)!)!;
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return {
      name: symbol.name,
      doc: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
      tags: target.getJsDocTags(checker).map((tag) => tag.name),
      from: path.relative(path.dirname(LIB), target.declarations?.[0]?.getSourceFile().fileName ?? '?'),
    };
  });
}

describe('the library entry (src/lib.ts)', () => {
  const exports = publicExports();

  it('lists its exports by name: no export * re-exports whatever a module holds', () => {
    expect(readFileSync(LIB, 'utf8')).not.toMatch(/^export \*/m);
    const names = exports.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['MemoryStore', 'openRepository', 'push', 'pull', 'OrasError', 'credentialProvider']));
    // Engine helpers that are not API.
    for (const internal of ['sideError', 'canonical', 'successors', 'tagRoot', 'abortError', 'throwIfAborted', 'hasSecret']) {
      expect(names).not.toContain(internal);
    }
  });

  it('documents every export where it is defined', () => {
    const undocumented = exports.filter((e) => e.doc === '').map((e) => `${e.name} (${e.from})`);
    expect(undocumented).toEqual([]);
  });

  it('says what the main verbs throw and shows each in an example', () => {
    for (const verb of MAIN_VERBS) {
      const found = exports.find((e) => e.name === verb);
      expect(found, verb).toBeDefined();
      expect(found!.tags, verb).toEqual(expect.arrayContaining(['throws', 'example']));
    }
  });
});
