import type { OrasApi } from '../shared/contract';

declare global {
  interface Window {
    /**
     * The one bridge to main: installed by the preload (Electron) or by the browser
     * shim (browser mode, see bridge.ts). Absent when the page is opened on its own.
     * Only services/ read it; components go through the store.
     */
    oras?: OrasApi;
  }
}

export {};
