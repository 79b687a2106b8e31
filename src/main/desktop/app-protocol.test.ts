import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ net: {}, protocol: {} }));

const { resolveRendererAsset } = await import('./app-protocol');

const root = resolve('/app/out/renderer');

describe('resolveRendererAsset', () => {
  it('maps app://oras paths to files inside the renderer folder', () => {
    expect(resolveRendererAsset(root, 'app://oras/index.html')).toBe(join(root, 'index.html'));
    expect(resolveRendererAsset(root, 'app://oras/')).toBe(join(root, 'index.html'));
    expect(resolveRendererAsset(root, 'app://oras/assets/index-abc.js?v=1#x')).toBe(
      join(root, 'assets/index-abc.js'),
    );
    expect(resolveRendererAsset(root, 'app://oras/assets/a%20b.css')).toBe(
      join(root, 'assets/a b.css'),
    );
  });

  it('never leaves the renderer folder', () => {
    for (const url of [
      'app://oras/..%2f..%2fetc/passwd',
      'app://oras/assets/..%2f..%2f..%2fmain/index.js',
      'app://oras/..%5c..%5cetc%5cpasswd',
      'app://oras/index.html%00.png',
      'app://oras/%E0%A4%A',
    ]) {
      expect(resolveRendererAsset(root, url), url).toBeNull();
    }
    // The URL parser resolves `..` and `%2e%2e` segments itself, so these stay inside.
    for (const url of ['app://oras/../../etc/passwd', 'app://oras/%2e%2e/%2e%2e/etc/passwd']) {
      expect(resolveRendererAsset(root, url), url).toBe(join(root, 'etc/passwd'));
    }
  });

  it('answers only its own scheme and host', () => {
    for (const url of [
      'app://other/index.html',
      'app://user@oras/index.html',
      'file:///app/out/renderer/index.html',
      'https://oras/index.html',
      'not a url',
    ]) {
      expect(resolveRendererAsset(root, url), url).toBeNull();
    }
  });
});
