import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy, hoistCspMeta, inlineScripts, replaceCspMeta } from './src/main/page/csp';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

/** cspHash returns the `sha256-…` source expression that allows one inline script. */
function cspHash(script: string): string {
  return `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
}

/**
 * devCsp: under the Vite dev server only, rewrite index.html's CSP `<meta>` so React
 * Refresh's inline preamble (allowed by its hash, not by 'unsafe-inline') and the HMR
 * websocket work. Built pages keep the strict policy written in index.html.
 */
function devCsp(): Plugin {
  let websocketOrigin = 'ws://localhost:5173';
  return {
    name: 'oras:dev-csp',
    apply: 'serve',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address();
        if (address && typeof address === 'object') {
          websocketOrigin = `ws://localhost:${address.port}`;
        }
      });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const policy = contentSecurityPolicy({
          delivery: 'meta',
          dev: { scriptHashes: inlineScripts(html).map(cspHash), websocketOrigin },
        });
        return hoistCspMeta(replaceCspMeta(html, policy));
      },
    },
  };
}

/**
 * electron-vite builds three bundles into out/:
 * - main: ESM (`out/main/index.js`, package.json's `main`), dependencies left external.
 * - preload: one CommonJS file (`out/preload/index.cjs`) with everything bundled in,
 *   because sandboxed preloads cannot load ES modules or require npm packages.
 * - renderer: the React page (`out/renderer/index.html`), served as `app://oras/`.
 */
const config: UserConfig = {
  main: {
    build: {
      rollupOptions: { input: { index: resolve(root, 'src/main/desktop/index.ts') } },
    },
  },
  preload: {
    define: { __ORAS_VERSION__: JSON.stringify(pkg.version) },
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devCsp()],
    build: {
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
};

export default defineConfig(config);
