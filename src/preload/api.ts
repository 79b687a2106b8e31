import { eventNames, ipcChannel, methods, type EventName } from '../shared/channel-names';
import type { Events, OrasApi, Result, StagedFile } from '../shared/contract';

/**
 * BridgeDeps is what the preload takes from Electron: kept to four plain functions so
 * the bridge is tested without Electron, and so `ipcRenderer` itself never reaches the
 * page.
 */
export interface BridgeDeps {
  version: string;
  /** ipcRenderer.invoke */
  invoke(channel: string, request: unknown): Promise<unknown>;
  /** ipcRenderer.on, returning the matching removeListener; the listener gets the payload only. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
  /** webUtils.getPathForFile: '' for a File the page made itself. */
  pathForFile(file: File): string;
}

const failure = (code: 'INVALID_ARGUMENT' | 'INTERNAL', message: string): Result<never> => ({ ok: false, error: { code, message } });

/**
 * createBridge builds `window.oras`: one method per entry of the contract's
 * `methods`, `version` and `on`, in one frozen object. Nothing else: never
 * `ipcRenderer`, an event object or a Node API.
 */
export function createBridge(deps: BridgeDeps): OrasApi {
  const call = async (channel: Parameters<typeof ipcChannel>[0], request: unknown): Promise<Result<never>> => {
    try {
      return (await deps.invoke(ipcChannel(channel), request)) as Result<never>;
    } catch {
      // Handlers never throw; this is main not answering at all (starting, or quitting).
      return failure('INTERNAL', 'the app did not answer; try again');
    }
  };
  const api: Record<string, unknown> = { version: deps.version };
  for (const [method, channel] of Object.entries(methods)) {
    api[method] = (request?: unknown) => call(channel, request);
  }
  api['stageFiles'] = async (files: readonly File[]): Promise<Result<StagedFile[]>> => {
    const list = Array.from(files ?? []);
    const paths: string[] = [];
    for (const file of list) {
      let path = '';
      try {
        path = deps.pathForFile(file);
      } catch {
        // not a File at all
      }
      if (!path) {
        return failure('INVALID_ARGUMENT', `${String((file as Partial<File>)?.name ?? 'a file')} is not a file from this computer: drop it from a folder`);
      }
      paths.push(path);
    }
    return call(methods.stageFiles, { paths });
  };
  api['on'] = <E extends EventName>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    if (!eventNames.includes(event)) throw new TypeError(`window.oras.on: unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('window.oras.on: the listener must be a function');
    return deps.subscribe(ipcChannel(event), (payload) => listener(payload as Events[E]));
  };
  return Object.freeze(api) as OrasApi;
}
