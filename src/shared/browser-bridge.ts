import {
  eventNames,
  methods,
  type Channel,
  type EventName,
  type Events,
  type OrasApi,
  type Result,
  type StageOptions,
  type StagedFile,
} from './contract';
import type { ErrorCode } from './error-codes';
import {
  WEB_API_PREFIX,
  WEB_DOWNLOAD_PREFIX,
  WEB_EVENTS_PATH,
  WEB_FILE_NAME_HEADER,
  WEB_FOLDER_ENTRY_HEADER,
  WEB_FOLDER_ID_HEADER,
  WEB_FOLDER_PATH_HEADER,
  WEB_TOKEN_HEADER,
  WEB_TOKEN_QUERY,
  WEB_UPLOAD_PATH,
} from './web-protocol';

/**
 * The browser shim: in browser mode (`npm run web`) it gives the page the same
 * `window.oras` the preload gives it in Electron, over loopback HTTP (see
 * web-protocol.ts). Pure browser code: fetch and EventSource, nothing of Node.
 *
 * For the renderer:
 *
 * ```ts
 * import { connectBrowserApi } from '../shared/browser-bridge';
 * if (!window.oras) {
 *   const oras = await connectBrowserApi({ baseUrl: location.origin });
 *   Object.defineProperty(window, 'oras', { value: oras, enumerable: true });
 * }
 * ```
 *
 * The page was opened as `/?token=…`; the server answered with an HttpOnly cookie and
 * sent it on to `/`, so no token is needed here. Pass `token` only when the page did
 * not come from the server itself (then it goes in the `x-oras-token` header, and in
 * the events URL, as EventSource cannot send headers).
 */

export interface BrowserBridgeOptions {
  /** The server's origin, e.g. `location.origin` (`http://127.0.0.1:PORT`). */
  baseUrl: string;
  /** The per-run token, when no cookie carries it. */
  token?: string;
  /** For tests; default the global `fetch`. */
  fetch?: typeof fetch;
  /** For tests; default the global `EventSource`. */
  EventSource?: new (url: string) => EventSourceLike;
  /**
   * For tests; default the global `XMLHttpRequest` when there is one. Uploads go
   * through it because it reports bytes sent (`upload.onprogress`) for a streamed
   * `File` body, which fetch does only with `duplex: 'half'` over HTTP/2; without
   * one (Node) uploads use fetch and report no progress.
   */
  XMLHttpRequest?: new () => XhrLike;
  /** How a browser download starts; default: a click on a hidden `<a download>`. */
  startDownload?: (url: string, name: string) => void;
}

/** EventSourceLike is the part of EventSource the shim uses. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
}

/** XhrLike is the part of XMLHttpRequest the uploads use. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  readonly status: number;
  readonly responseText: string;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  readonly upload: { onprogress: ((event: { loaded: number }) => void) | null };
}

const failure = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

const LOST = 'lost the connection to ORAS Desktop (browser mode): is it still running?';

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return 'value' in r;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string';
}

function clickDownload(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
}

/** createBrowserApi builds the frozen `window.oras` of browser mode; `version` is the app's. */
export function createBrowserApi(options: BrowserBridgeOptions & { version: string }): OrasApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const tokenHeaders: Record<string, string> = options.token ? { [WEB_TOKEN_HEADER]: options.token } : {};
  const startDownload = options.startDownload ?? clickDownload;

  const Xhr = options.XMLHttpRequest ?? (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;

  const toResult = (status: number, text: string): Result<never> => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return failure('INTERNAL', `ORAS Desktop (browser mode) answered HTTP ${status} without a result`);
    }
    if (!isResult(body)) return failure('INTERNAL', `ORAS Desktop (browser mode) answered HTTP ${status} without a result`);
    const result = body as Result<never>;
    if (result.ok) offerDownload(result.value);
    return result;
  };

  const send = async (path: string, init: RequestInit): Promise<Result<never>> => {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}`, { ...init, credentials: 'same-origin', cache: 'no-store' });
      text = await response.text();
    } catch {
      return failure('NETWORK', LOST);
    }
    return toResult(response.status, text);
  };

  /** upload posts one file as the raw body, reporting bytes sent when the browser can. */
  const upload = (headers: Record<string, string>, file: File, onSent: (sent: number) => void): Promise<Result<never>> => {
    if (!Xhr) return send(WEB_UPLOAD_PATH, { method: 'POST', headers, body: file });
    return new Promise((resolve) => {
      const xhr = new Xhr();
      xhr.open('POST', `${base}${WEB_UPLOAD_PATH}`);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => onSent(event.loaded);
      xhr.onload = () => resolve(toResult(xhr.status, xhr.responseText));
      xhr.onerror = () => resolve(failure('NETWORK', LOST));
      xhr.onabort = () => resolve(failure('ABORTED', 'the upload was stopped'));
      xhr.send(file);
    });
  };

  const offerDownload = (value: unknown): void => {
    const download = (value as { browserDownload?: { id?: unknown; name?: unknown } } | null)?.browserDownload;
    if (download && typeof download.id === 'string' && typeof download.name === 'string') {
      startDownload(`${base}${WEB_DOWNLOAD_PREFIX}${encodeURIComponent(download.id)}`, download.name);
    }
  };

  const call = (channel: Channel, request: unknown): Promise<Result<never>> =>
    send(`${WEB_API_PREFIX}${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...tokenHeaders },
      body: request === undefined ? '' : JSON.stringify(request),
    });

  const api: Record<string, unknown> = { version: options.version };
  for (const [method, channel] of Object.entries(methods)) {
    api[method] = (request?: unknown) => call(channel, request);
  }

  // Files one by one, each streamed by the browser from disk; a folder's files (by
  // their relative paths) into one staged folder, answered once, where it first showed.
  // A folder's empty folders go first, each as an empty request, so the folder packs
  // as it is on disk.
  api['stageFiles'] = async (files: readonly File[], stageOptions: StageOptions = {}): Promise<Result<StagedFile[]>> => {
    const staged: StagedFile[] = [];
    const folders = new Map<string, StagedFile>();
    for (const emptyFolder of stageOptions.emptyFolders ?? []) {
      const folderName = emptyFolder.split('/')[0]!;
      const folder = folders.get(folderName);
      const result = (await send(WEB_UPLOAD_PATH, {
        method: 'POST',
        headers: {
          [WEB_FOLDER_PATH_HEADER]: encodeURIComponent(emptyFolder),
          [WEB_FOLDER_ENTRY_HEADER]: 'directory',
          ...(folder ? { [WEB_FOLDER_ID_HEADER]: encodeURIComponent(folder.id) } : {}),
          ...tokenHeaders,
        },
        body: '',
      })) as Result<StagedFile>;
      if (!result.ok) return result;
      if (!folder) {
        folders.set(folderName, result.value);
        staged.push(result.value);
      }
    }
    const list = Array.from(files ?? []);
    for (const [index, file] of list.entries()) {
      const relativePath = stageOptions.relativePaths?.[index] || undefined;
      const folderName = relativePath?.split('/')[0];
      const folder = folderName === undefined ? undefined : folders.get(folderName);
      const headers: Record<string, string> = {
        'content-type': 'application/octet-stream',
        [WEB_FILE_NAME_HEADER]: encodeURIComponent(file.name),
        ...(relativePath ? { [WEB_FOLDER_PATH_HEADER]: encodeURIComponent(relativePath) } : {}),
        ...(folder ? { [WEB_FOLDER_ID_HEADER]: encodeURIComponent(folder.id) } : {}),
        ...tokenHeaders,
      };
      const report = (sent: number): void => stageOptions.onProgress?.({ index, sent: Math.min(sent, file.size), size: file.size });
      const result = (await upload(headers, file, report)) as Result<StagedFile>;
      if (!result.ok) return result;
      report(file.size);
      if (folderName === undefined) staged.push(result.value);
      else if (!folder) {
        folders.set(folderName, result.value);
        staged.push(result.value);
      }
    }
    return { ok: true, value: staged };
  };

  // One EventSource for all listeners, opened with the first and closed with the last.
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let source: EventSourceLike | undefined;
  const openSource = (): void => {
    const Source = options.EventSource ?? (globalThis as { EventSource?: new (url: string) => EventSourceLike }).EventSource;
    if (!Source) throw new Error('window.oras.on: this browser has no EventSource');
    const query = options.token ? `?${WEB_TOKEN_QUERY}=${encodeURIComponent(options.token)}` : '';
    source = new Source(`${base}${WEB_EVENTS_PATH}${query}`);
    for (const name of eventNames) {
      source.addEventListener(name, (event) => {
        let payload: unknown;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return;
        }
        for (const listener of [...(listeners.get(name) ?? [])]) listener(payload as never);
      });
    }
  };

  api['on'] = <E extends EventName>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    if (!eventNames.includes(event)) throw new TypeError(`window.oras.on: unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('window.oras.on: the listener must be a function');
    if (!source) openSource();
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
      if ([...listeners.values()].every((s) => s.size === 0)) {
        source?.close();
        source = undefined;
      }
    };
  };

  return Object.freeze(api) as OrasApi;
}

/**
 * connectBrowserApi asks the server for `app.info` (which also proves the token or
 * cookie works) and returns the API with the app's version. It throws, with a message
 * for the page, when the server refuses or cannot be reached.
 */
export async function connectBrowserApi(options: BrowserBridgeOptions): Promise<OrasApi> {
  const probe = createBrowserApi({ ...options, version: '' });
  const info = await probe.appInfo();
  if (!info.ok) throw new Error(info.error.message);
  return createBrowserApi({ ...options, version: info.value.version });
}
