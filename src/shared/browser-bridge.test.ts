import { describe, expect, it, vi } from 'vitest';
import { createBrowserApi, connectBrowserApi, type EventSourceLike } from './browser-bridge';
import { methods } from './contract';

const BASE = 'http://127.0.0.1:4000';

function fakeFetch(answer: (url: string, init: RequestInit) => unknown = () => ({ ok: true, value: 'v' })) {
  return vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const body = answer(String(url), init ?? {});
    if (body instanceof Error) throw body;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200 });
  });
}

class FakeEventSource implements EventSourceLike {
  static last: FakeEventSource | undefined;
  readonly listeners = new Map<string, (event: { data: string }) => void>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: { data: string }) => void): void {
    this.listeners.set(type, listener);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, payload: unknown): void {
    this.listeners.get(type)?.({ data: JSON.stringify(payload) });
  }
}

describe('createBrowserApi', () => {
  it('is one frozen object with the same keys as the preload gives: methods, version, on', () => {
    const api = createBrowserApi({ baseUrl: BASE, version: '1.0.0', fetch: fakeFetch() });
    expect(Object.keys(api).sort()).toEqual([...Object.keys(methods), 'on', 'version'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(api.version).toBe('1.0.0');
  });

  it('posts each method as JSON to /api/<channel>, with the token header when given', async () => {
    const fetch = fakeFetch();
    const api = createBrowserApi({ baseUrl: `${BASE}/`, version: '1', token: 'tok', fetch });
    expect(await api.addRegistry({ registry: 'r.io', username: 'u', secret: 's' })).toEqual({ ok: true, value: 'v' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${BASE}/api/registries.add`);
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: JSON.stringify({ registry: 'r.io', username: 'u', secret: 's' }) });
    expect(init!.headers).toEqual({ 'content-type': 'application/json', 'x-oras-token': 'tok' });
    await api.listRegistries();
    expect(fetch.mock.calls[1]![1]).toMatchObject({ body: '' });
    // Without a token, the cookie the server set carries it.
    const cookieOnly = createBrowserApi({ baseUrl: BASE, version: '1', fetch });
    await cookieOnly.listRegistries();
    expect(fetch.mock.calls[2]![1]!.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('answers NETWORK when the server is gone and INTERNAL when it answers something else', async () => {
    const gone = createBrowserApi({ baseUrl: BASE, version: '1', fetch: fakeFetch(() => new TypeError('fetch failed')) });
    expect(await gone.appInfo()).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    const odd = createBrowserApi({ baseUrl: BASE, version: '1', fetch: fakeFetch(() => '<html>') });
    expect(await odd.appInfo()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const shape = createBrowserApi({ baseUrl: BASE, version: '1', fetch: fakeFetch(() => ({ ok: false })) });
    expect(await shape.appInfo()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('uploads files one by one for stageFiles, naming each in a header', async () => {
    let n = 0;
    const fetch = fakeFetch(() => ({ ok: true, value: { id: `id${++n}`, name: 'x', size: 1, kind: 'file' } }));
    const api = createBrowserApi({ baseUrl: BASE, version: '1', fetch });
    const files = [new File(['a'], 'a b.txt'), new File(['b'], 'é.bin')];
    const result = await api.stageFiles(files);
    expect(result).toMatchObject({ ok: true, value: [{ id: 'id1' }, { id: 'id2' }] });
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([`${BASE}/api/upload`, `${BASE}/api/upload`]);
    expect((fetch.mock.calls[1]![1]!.headers as Record<string, string>)['x-oras-file-name']).toBe('%C3%A9.bin');
    expect(fetch.mock.calls[0]![1]!.body).toBe(files[0]);
  });

  it('uploads the files of a folder by their relative paths into one staged folder, answering it once, files between kept in order', async () => {
    const answers = [
      { id: 'dir1', name: 'site', size: 0, kind: 'directory' },
      { id: 'f1', name: 'loose.txt', size: 1, kind: 'file' },
      { id: 'dir1', name: 'site', size: 0, kind: 'directory' },
    ];
    const fetch = fakeFetch(() => ({ ok: true, value: answers.shift() }));
    const api = createBrowserApi({ baseUrl: BASE, version: '1', fetch });
    const files = [new File(['<p>'], 'index.html'), new File(['x'], 'loose.txt'), new File(['p{}'], 'main.css')];
    const result = await api.stageFiles(files, { relativePaths: ['site/index.html', undefined, 'site/css/main.css'] });
    expect(result).toEqual({ ok: true, value: [{ id: 'dir1', name: 'site', size: 0, kind: 'directory' }, { id: 'f1', name: 'loose.txt', size: 1, kind: 'file' }] });
    const headers = fetch.mock.calls.map((c) => c[1]!.headers as Record<string, string>);
    expect(headers[0]).toMatchObject({ 'x-oras-folder-path': 'site%2Findex.html' });
    expect(headers[0]).not.toHaveProperty('x-oras-folder-id');
    expect(headers[1]).not.toHaveProperty('x-oras-folder-path');
    expect(headers[2]).toMatchObject({ 'x-oras-folder-path': 'site%2Fcss%2Fmain.css', 'x-oras-folder-id': 'dir1' });
  });

  it('makes the empty folders of a folder first, each as an empty request, then its files into the same staged folder', async () => {
    const fetch = fakeFetch(() => ({ ok: true, value: { id: 'dir1', name: 'site', size: 0, kind: 'directory' } }));
    const api = createBrowserApi({ baseUrl: BASE, version: '1', fetch });
    const result = await api.stageFiles([new File(['<p>'], 'index.html')], { relativePaths: ['site/index.html'], emptyFolders: ['site/a', 'site/b/c'] });
    expect(result).toEqual({ ok: true, value: [{ id: 'dir1', name: 'site', size: 0, kind: 'directory' }] });
    const sent = fetch.mock.calls.map((c) => ({ headers: c[1]!.headers as Record<string, string>, body: c[1]!.body }));
    expect(sent[0]).toMatchObject({ headers: { 'x-oras-folder-path': 'site%2Fa', 'x-oras-folder-entry': 'directory' }, body: '' });
    expect(sent[0]!.headers).not.toHaveProperty('x-oras-folder-id');
    expect(sent[1]).toMatchObject({ headers: { 'x-oras-folder-path': 'site%2Fb%2Fc', 'x-oras-folder-entry': 'directory', 'x-oras-folder-id': 'dir1' } });
    expect(sent[2]!.headers).toMatchObject({ 'x-oras-folder-path': 'site%2Findex.html', 'x-oras-folder-id': 'dir1' });
    expect(sent[2]!.headers).not.toHaveProperty('x-oras-folder-entry');
  });

  it('uploads through XMLHttpRequest where there is one, reporting bytes sent per file', async () => {
    const sent: XhrFake[] = [];
    class XhrFake {
      status = 0;
      responseText = '';
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      onabort: (() => void) | null = null;
      readonly upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null };
      readonly headers: Record<string, string> = {};
      url = '';
      body: Blob | undefined;
      open(method: string, url: string) {
        this.url = `${method} ${url}`;
      }
      setRequestHeader(name: string, value: string) {
        this.headers[name] = value;
      }
      send(body: Blob) {
        this.body = body;
        sent.push(this);
        // The browser streams the file: progress, then the answer.
        queueMicrotask(() => {
          this.upload.onprogress?.({ loaded: 2 });
          this.upload.onprogress?.({ loaded: body.size });
          this.status = 200;
          this.responseText = JSON.stringify(sent.length === 3 ? { ok: false, error: { code: 'NETWORK', message: 'x' } } : { ok: true, value: { id: `id${sent.length}`, name: 'n', size: body.size, kind: 'file' } });
          this.onload?.();
        });
      }
    }
    const fetch = fakeFetch();
    const api = createBrowserApi({ baseUrl: BASE, version: '1', token: 'tok', fetch, XMLHttpRequest: XhrFake });
    const progress = vi.fn();
    const files = [new File(['abcd'], 'a.txt'), new File(['efghij'], 'b.txt')];
    expect(await api.stageFiles(files, { onProgress: progress })).toMatchObject({ ok: true, value: [{ id: 'id1' }, { id: 'id2' }] });
    expect(fetch).not.toHaveBeenCalled();
    expect(sent[0]).toMatchObject({ url: `POST ${BASE}/api/upload`, headers: { 'x-oras-file-name': 'a.txt', 'x-oras-token': 'tok' } });
    expect(sent[0]!.body).toBe(files[0]);
    expect(progress.mock.calls.map((c) => c[0])).toEqual([
      { index: 0, sent: 2, size: 4 },
      { index: 0, sent: 4, size: 4 },
      { index: 0, sent: 4, size: 4 },
      { index: 1, sent: 2, size: 6 },
      { index: 1, sent: 6, size: 6 },
      { index: 1, sent: 6, size: 6 },
    ]);
    // A refused upload stops the batch with main's error; a lost connection says so.
    expect(await api.stageFiles([new File(['z'], 'z')])).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    class Broken extends XhrFake {
      override send() {
        queueMicrotask(() => this.onerror?.());
      }
    }
    const lost = createBrowserApi({ baseUrl: BASE, version: '1', fetch, XMLHttpRequest: Broken });
    expect(await lost.stageFiles([new File(['z'], 'z')])).toMatchObject({ ok: false, error: { code: 'NETWORK', message: expect.stringMatching(/still running/) } });
  });

  it('starts a browser download when an answer offers one', async () => {
    const startDownload = vi.fn();
    const fetch = fakeFetch(() => ({ ok: true, value: { browserDownload: { id: 'abc', name: 'blob.bin' } } }));
    const api = createBrowserApi({ baseUrl: BASE, version: '1', fetch, startDownload });
    await api.appInfo();
    expect(startDownload).toHaveBeenCalledWith(`${BASE}/api/download/abc`, 'blob.bin');
  });

  it('shares one EventSource among listeners, passes payloads, and closes it with the last listener', () => {
    const api = createBrowserApi({ baseUrl: BASE, version: '1', token: 't/k', fetch: fakeFetch(), EventSource: FakeEventSource });
    const progress = vi.fn();
    const state = vi.fn();
    const offProgress = api.on('job.progress', progress);
    const offState = api.on('job.state', state);
    const source = FakeEventSource.last!;
    expect(source.url).toBe(`${BASE}/api/events?token=t%2Fk`);
    source.emit('job.progress', { jobId: 'j', bytes: 1, total: 2 });
    source.emit('job.state', { jobId: 'j', kind: 'push', state: 'done' });
    expect(progress).toHaveBeenCalledWith({ jobId: 'j', bytes: 1, total: 2 });
    expect(state).toHaveBeenCalledWith({ jobId: 'j', kind: 'push', state: 'done' });
    offProgress();
    expect(source.closed).toBe(false);
    offState();
    expect(source.closed).toBe(true);
    expect(() => api.on('nope' as never, () => {})).toThrow(/unknown event/);
  });
});

describe('connectBrowserApi', () => {
  it("takes the app's version from app.info, and throws the server's message when refused", async () => {
    const api = await connectBrowserApi({
      baseUrl: BASE,
      fetch: fakeFetch(() => ({ ok: true, value: { version: '3.2.1', platform: 'linux', mode: 'browser' } })),
    });
    expect(api.version).toBe('3.2.1');
    await expect(
      connectBrowserApi({ baseUrl: BASE, fetch: fakeFetch(() => ({ ok: false, error: { code: 'UNAUTHORIZED', message: 'needs its token' } })) }),
    ).rejects.toThrow('needs its token');
  });
});
