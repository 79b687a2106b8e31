/**
 * OrasBridge is the one object the preload exposes to the page as `window.oras`.
 * For now it only carries the app version; the typed IPC contract (one method per
 * message, declared once in src/shared) lands with the app-shell issue. It must never
 * carry `ipcRenderer` or any other Electron object.
 */
export interface OrasBridge {
  readonly version: string;
}

/** createBridge returns a frozen bridge; nothing the page does can add to or change it. */
export function createBridge(version: string): Readonly<OrasBridge> {
  return Object.freeze({ version });
}
