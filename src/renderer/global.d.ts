/**
 * OrasBridge is what the preload (or, later, the browser shim) installs as
 * `window.oras`. It is absent when the page is opened on its own.
 *
 * TODO(app-shell issue): replace with the typed contract from src/shared.
 */
interface OrasBridge {
  readonly version: string;
}

interface Window {
  readonly oras?: OrasBridge;
}
