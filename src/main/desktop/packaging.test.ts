import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder cannot run here (it downloads Electron); its config is checked as text.
const root = resolve(import.meta.dirname, '../../..');
const config = readFileSync(resolve(root, 'electron-builder.yml'), 'utf8');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; optional?: boolean }>;
};

describe('packaging', () => {
  it('builds AppImage and deb, dmg, and nsis', () => {
    expect(config).toMatch(/^linux:\n {2}target:\n {4}- AppImage\n {4}- deb$/m);
    expect(config).toMatch(/^mac:\n {2}target:\n {4}- dmg$/m);
    expect(config).toMatch(/^win:\n {2}target:\n {4}- nsis$/m);
    expect(config).toMatch(/^appId: \S+$/m);
  });

  it("packs electron-vite's output, where package.json's main points", () => {
    expect(config).toMatch(/^files:\n {2}- out\/\*\*\n {2}- package\.json$/m);
    expect(pkg.main).toBe('./out/main/index.js');
    expect(pkg.scripts['package']).toContain('--config electron-builder.yml');
  });

  it('keeps keytar optional, so npm ci needs no C toolchain, and unpacked from the asar where it is installed', () => {
    expect(pkg.dependencies['keytar']).toBeUndefined();
    expect(pkg.optionalDependencies?.['keytar']).toBeDefined();
    expect(lock.packages['']?.optionalDependencies?.['keytar']).toBe(pkg.optionalDependencies?.['keytar']);
    expect(lock.packages['']?.dependencies?.['keytar']).toBeUndefined();
    expect(lock.packages['node_modules/keytar']?.optional).toBe(true);
    expect(config).toContain('"**/node_modules/keytar/**"');
  });
});
