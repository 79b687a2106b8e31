import { describe, expect, it, vi } from 'vitest';
import { channelNames, type Channel } from '../../shared/contract';
import { OrasError } from '../engine/errors';
import type { AppServices } from '../services';
import { INTERNAL_MESSAGE } from '../services/serialized-error';
import { createHandlers, dispatch } from './handlers';

const SECRET = 'hunter2-very-secret';

/** untouchable is a services object whose every call fails the test: bad input must never reach a service. */
function untouchable(): AppServices {
  const trap = (path: string): unknown =>
    new Proxy(() => {}, {
      get: (_t, key) => trap(`${path}.${String(key)}`),
      apply: () => {
        throw new Error(`services.${path} was called with a request its schema should have refused`);
      },
    });
  return trap('') as AppServices;
}

const long = (n: number): string => 'a'.repeat(n);

/** Bad requests per channel: each must be answered INVALID_ARGUMENT before any service runs. */
const BAD: Record<Channel, [why: string, request: unknown, mentions?: RegExp][]> = {
  'app.info': [
    ['null', null],
    ['a string', 'info'],
    ['a number', 42],
    ['an array', []],
    ['an unknown key', { verbose: true }, /verbose/],
  ],
  'registries.list': [
    ['null', null],
    ['a string', 'all'],
    ['a boolean', true],
    ['an array', [{}]],
    ['an unknown key', { filter: 'x' }, /filter/],
  ],
  'registries.add': [
    ['no request', undefined],
    ['no registry', { username: 'u' }, /registry/],
    ['an empty registry', { registry: '   ' }, /registry: the registry is empty/],
    ['a URL', { registry: 'https://ghcr.io' }, /leave out http/],
    ['a path', { registry: 'ghcr.io/org' }, /host\[:port\]/],
    ['a registry of 256 characters', { registry: long(256) }, /longer than 255/],
    ['a number as user name', { registry: 'r.io', username: 7 }, /username/],
    ['a password without a user name', { registry: 'r.io', secret: SECRET }, /a password needs a user name/],
    ['an unknown secret kind', { registry: 'r.io', username: 'u', secret: SECRET, secretKind: 'cookie' }, /secretKind/],
    ['a secret over 64 KiB', { registry: 'r.io', username: 'u', secret: long(64 * 1024 + 1) }, /secret/],
    ['plainHttp as a string', { registry: 'r.io', options: { plainHttp: 'yes' } }, /options.plainHttp/],
    ['an unknown option', { registry: 'r.io', options: { proxy: 'http://x' } }, /proxy/],
    ['an empty CA file', { registry: 'r.io', options: { caFile: '' } }, /options.caFile/],
    ['an unknown key', { registry: 'r.io', username: 'u', secret: SECRET, password: SECRET }, /password/],
  ],
  'registries.test': [
    ['null', null],
    ['no registry', {}, /registry/],
    ['a URL', { registry: 'http://localhost:5000' }, /leave out http/],
    ['a space in the registry', { registry: 'local host' }, /without spaces/],
    ['a password without a user name', { registry: 'r.io', username: '', secret: SECRET }, /user name/],
    ['insecure as a number', { registry: 'r.io', options: { insecure: 1 } }, /options.insecure/],
  ],
  'registries.update': [
    ['a string', 'r.io'],
    ['no registry', { options: {} }, /registry/],
    ['a registry array', { registry: ['r.io'] }, /registry/],
    ['a password without a user name', { registry: 'r.io', secret: SECRET, secretKind: 'password' }, /user name/],
    ['options as an array', { registry: 'r.io', options: [] }, /options/],
    ['a CA file path over 4096 characters', { registry: 'r.io', options: { caFile: long(4097) } }, /caFile/],
  ],
  'registries.logout': [
    ['no request', undefined],
    ['no registry', {}, /registry/],
    ['an empty registry', { registry: '' }, /empty/],
    ['a URL', { registry: 'https://r.io' }, /leave out/],
    ['an unknown key', { registry: 'r.io', all: true }, /all/],
    ['a number', { registry: 5000 }, /registry/],
  ],
  'registries.remove': [
    ['no request', undefined],
    ['null', null],
    ['no registry', {}, /registry/],
    ['a path', { registry: 'r.io/../../etc' }, /host\[:port\]/],
    ['an unknown key', { registry: 'r.io', force: true }, /force/],
    ['a registry object', { registry: { host: 'r.io' } }, /registry/],
  ],
  'jobs.cancel': [
    ['no request', undefined],
    ['no job id', {}, /jobId/],
    ['an empty job id', { jobId: '' }, /jobId/],
    ['a job id over 100 characters', { jobId: long(101) }, /jobId/],
    ['a numeric job id', { jobId: 12 }, /jobId/],
    ['an unknown key', { jobId: 'j', reason: 'x' }, /reason/],
  ],
  'files.stage': [
    ['no request', undefined],
    ['no paths', {}, /paths/],
    ['an empty list', { paths: [] }, /no files to stage/],
    ['a relative path', { paths: ['docs/readme.md'] }, /not absolute/],
    ['a path with NUL', { paths: ['/tmp/a\0b'] }, /NUL/],
    ['a path string, not a list', { paths: '/tmp/a' }, /paths/],
    ['more than 1000 files', { paths: Array.from({ length: 1001 }, (_, i) => `/tmp/${i}`) }, /more than 1000/],
    ['an unknown key', { paths: ['/tmp/a'], copy: true }, /copy/],
  ],
  'files.pickFolder': [
    ['null', null],
    ['a string', '/etc'],
    ['a number', 1],
    ['an array', ['/etc']],
    ['a path', { path: '/etc' }, /path/],
  ],
  'browse.repositories': [
    ['no request', undefined],
    ['no registry', {}, /registry/],
    ['a registry with a path', { registry: 'r.io/team' }, /host\[:port\]/],
    ['a page size of 0', { registry: 'r.io', pageSize: 0 }, /pageSize/],
    ['a page size over 10,000', { registry: 'r.io', pageSize: 10_001 }, /pageSize/],
    ['a fractional page size', { registry: 'r.io', pageSize: 1.5 }, /pageSize/],
    ['an unknown key', { registry: 'r.io', all: true }, /all/],
  ],
  'browse.tags': [
    ['no request', undefined],
    ['no repository', { registry: 'r.io' }, /repository/],
    ['an upper-case repository', { registry: 'r.io', repository: 'Team/App' }, /repository/],
    ['a repository with ..', { registry: 'r.io', repository: '../etc' }, /repository/],
    ['a last over 255 characters', { registry: 'r.io', repository: 'a', last: long(256) }, /last/],
    ['an unknown key', { registry: 'r.io', repository: 'a', sort: 'new' }, /sort/],
  ],
  'browse.tagDetails': [
    ['no request', undefined],
    ['no tags', { registry: 'r.io', repository: 'a' }, /tags/],
    ['an empty tag list', { registry: 'r.io', repository: 'a', tags: [] }, /no tags/],
    ['101 tags', { registry: 'r.io', repository: 'a', tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, /more than 100/],
    ['a tag with a slash', { registry: 'r.io', repository: 'a', tags: ['v1/x'] }, /tags.0/],
    ['a tag starting with a dot', { registry: 'r.io', repository: 'a', tags: ['.hidden'] }, /tags.0/],
  ],
  'browse.manifest': [
    ['no request', undefined],
    ['no reference', { registry: 'r.io', repository: 'a' }, /reference/],
    ['a reference with a path', { registry: 'r.io', repository: 'a', reference: '../../x' }, /reference/],
    ['a digest without hex', { registry: 'r.io', repository: 'a', reference: 'sha256:' }, /reference/],
    ['a tag of 129 characters', { registry: 'r.io', repository: 'a', reference: long(129) }, /reference/],
    ['an unknown key', { registry: 'r.io', repository: 'a', reference: 'v1', raw: true }, /raw/],
  ],
  'browse.referrers': [
    ['no request', undefined],
    ['no digest', { registry: 'r.io', repository: 'a' }, /digest/],
    ['a tag as digest', { registry: 'r.io', repository: 'a', digest: 'v1' }, /digest/],
    ['a depth of 0', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, depth: 0 }, /depth/],
    ['a depth of 11', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, depth: 11 }, /depth/],
    ['a digest over 200 characters', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(200)}` }, /digest/],
  ],
  'browse.blob': [
    ['no request', undefined],
    ['no digest', { registry: 'r.io', repository: 'a' }, /digest/],
    ['a path as digest', { registry: 'r.io', repository: 'a', digest: 'sha256:../../etc' }, /digest/],
    ['an empty media type', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, mediaType: '' }, /mediaType/],
    ['a numeric digest', { registry: 'r.io', repository: 'a', digest: 256 }, /digest/],
    ['an unknown key', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, range: '0-' }, /range/],
  ],
  'tags.add': [
    ['no request', undefined],
    ['no tags', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}` }, /tags/],
    ['an empty tag list', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, tags: [] }, /no tags/],
    ['a tag with a space', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, tags: ['v 1'] }, /tags.0/],
    ['a tag as digest', { registry: 'r.io', repository: 'a', digest: 'latest', tags: ['v1'] }, /digest/],
    ['the local store as repository', { registry: 'local', repository: '', digest: `sha256:${'a'.repeat(64)}`, tags: ['v1'] }, /repository/],
  ],
  'manifests.delete': [
    ['no request', undefined],
    ['null', null],
    ['no reference', { registry: 'r.io', repository: 'a' }, /reference/],
    ['an empty reference', { registry: 'r.io', repository: 'a', reference: '' }, /reference/],
    ['a reference with a slash', { registry: 'r.io', repository: 'a', reference: 'v1/../v2' }, /reference/],
    ['an unknown key', { registry: 'r.io', repository: 'a', reference: 'v1', force: true }, /force/],
  ],
  'downloads.blob': [
    ['no request', undefined],
    ['no digest', { registry: 'r.io', repository: 'a' }, /digest/],
    ['an empty name', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, name: '' }, /name/],
    ['a name over 255 characters', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, name: long(256) }, /name/],
    ['a numeric name', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, name: 7 }, /name/],
    ['an unknown key', { registry: 'r.io', repository: 'a', digest: `sha256:${'a'.repeat(64)}`, path: '/tmp/x' }, /path/],
  ],
  'downloads.pull': [
    ['no request', undefined],
    ['no reference', { registry: 'r.io', repository: 'a' }, /reference/],
    ['a registry with spaces', { registry: 'r io', repository: 'a', reference: 'v1' }, /registry/],
    ['a reference with a colon', { registry: 'r.io', repository: 'a', reference: 'a:b:c' }, /reference/],
    ['an output folder', { registry: 'r.io', repository: 'a', reference: 'v1', output: '/tmp' }, /output/],
  ],
  'drafts.get': [
    ['null', null],
    ['a string', 'draft'],
    ['a number', 1],
    ['an array', []],
    ['an unknown key', { id: 'x' }, /id/],
  ],
  'drafts.save': [
    ['no request', undefined],
    ['no draft', {}, /draft/],
    ['a file without a staged id', { draft: { files: [{ title: 'a' }] } }, /stagedId/],
    ['a file path instead of an id', { draft: { files: [{ stagedId: 'x', title: 'a', path: '/etc/passwd' }] } }, /path/],
    ['an unknown config kind', { draft: { config: { kind: 'url', url: 'http://x' } } }, /config/],
    ['an unknown image spec', { draft: { imageSpec: 'v2' } }, /imageSpec/],
    ['a config over 1 MiB', { draft: { config: { kind: 'inline', text: long(1024 * 1024 + 1) } } }, /config.text/],
    ['an annotation value as a number', { draft: { annotations: { a: 1 } } }, /annotations/],
  ],
  'drafts.discard': [
    ['null', null],
    ['a string', 'all'],
    ['a boolean', true],
    ['an array', []],
    ['an unknown key', { force: true }, /force/],
  ],
  'push.suggestMediaTypes': [
    ['no request', undefined],
    ['no staged id', {}, /stagedId/],
    ['an empty staged id', { stagedId: '' }, /stagedId/],
    ['a path', { stagedId: 'x', path: '/etc/passwd' }, /path/],
    ['a number', { stagedId: 7 }, /stagedId/],
  ],
  'push.validate': [
    ['no request', undefined],
    ['no draft', {}, /draft/],
    ['files as an object', { draft: { files: {} } }, /files/],
    ['a title over 255 characters', { draft: { files: [{ stagedId: 'x', title: long(256) }] } }, /title/],
    ['an unknown key in the target', { draft: { target: { registry: 'r.io', host: 'x' } } }, /host/],
  ],
  'push.preview': [
    ['no request', undefined],
    ['no draft', {}, /draft/],
    ['a draft as a string', { draft: 'x' }, /draft/],
    ['a mode that is neither push nor attach', { draft: { mode: 'delete' } }, /mode/],
    ['tags as a string', { draft: { target: { registry: 'r.io', repository: 'a', tags: 'v1' } } }, /target.tags/],
  ],
  'push.run': [
    ['no request', undefined],
    ['no draft', { created: '2024-01-01T00:00:00Z' }, /draft/],
    ['reproducible as a string', { draft: { reproducible: 'yes' } }, /reproducible/],
    ['a created time as a number', { draft: {}, created: 5 }, /created/],
    ['an unknown key', { draft: {}, force: true }, /force/],
  ],
  'push.outcome': [
    ['no request', undefined],
    ['no job id', {}, /jobId/],
    ['an empty job id', { jobId: '' }, /jobId/],
    ['a number', { jobId: 5 }, /jobId/],
    ['an unknown key', { jobId: 'x', all: true }, /all/],
  ],
  'artifacts.copy': [
    ['no request', undefined],
    ['no destination', { from: { registry: 'r.io', repository: 'a', reference: 'v1' } }, /to/],
    ['a bad source reference', { from: { registry: 'r.io', repository: 'a', reference: 'a:b:c' }, to: { registry: 'local', repository: 'b' } }, /reference/],
    ['a bad destination tag', { from: { registry: 'r.io', repository: 'a', reference: 'v1' }, to: { registry: 'local', repository: 'b', tag: '-x' } }, /tag/],
    ['referrers as a string', { from: { registry: 'r.io', repository: 'a', reference: 'v1' }, to: { registry: 'local', repository: 'b' }, referrers: 'yes' }, /referrers/],
  ],
};

describe('every channel refuses malformed input with a clear error', () => {
  const handlers = createHandlers({ services: untouchable(), mode: 'electron', version: '1.0.0' });

  it('covers every channel with at least five bad requests', () => {
    expect(Object.keys(BAD).sort()).toEqual([...channelNames].sort());
    for (const channel of channelNames) expect(BAD[channel].length, channel).toBeGreaterThanOrEqual(5);
  });

  for (const channel of channelNames) {
    describe(channel, () => {
      it.each(BAD[channel])('refuses %s', async (_why, request, mentions) => {
        const result = await handlers[channel](request);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('INVALID_ARGUMENT');
        expect(result.error.message).toContain(`bad request for ${channel}:`);
        if (mentions) expect(result.error.message).toMatch(mentions);
        expect(result.error.message).not.toContain(SECRET);
        expect(result.error.message.length).toBeLessThanOrEqual(500);
      });
    });
  }
});

describe('handlers', () => {
  /** services gives only the parts a test uses. */
  const services = (parts: Record<string, unknown>): AppServices => parts as unknown as AppServices;

  it('answer a service value as { ok: true, value }', async () => {
    const cancel = vi.fn(() => true);
    const handlers = createHandlers({ services: services({ jobs: { cancel } }), mode: 'browser', version: '1.0.0' });
    expect(await handlers['jobs.cancel']({ jobId: 'j1' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(cancel).toHaveBeenCalledWith('j1');
    const info = await handlers['app.info']();
    expect(info).toEqual({ ok: true, value: { version: '1.0.0', platform: process.platform, mode: 'browser' } });
  });

  it("keep an OrasError's code and message", async () => {
    const list = vi.fn(async () => {
      throw new OrasError('NETWORK', 'cannot reach r.io: connection refused');
    });
    const handlers = createHandlers({ services: services({ registries: { list } }), mode: 'electron', version: '1' });
    expect(await handlers['registries.list']()).toEqual({
      ok: false,
      error: { code: 'NETWORK', message: 'cannot reach r.io: connection refused' },
    });
  });

  it('answer anything else as INTERNAL with a generic message, and log the original', async () => {
    const log = vi.fn();
    const add = vi.fn(async () => {
      throw new Error(`ENOENT /home/me/.secret with ${SECRET}`);
    });
    const handlers = createHandlers({ services: services({ registries: { add } }), mode: 'electron', version: '1', log });
    const result = await handlers['registries.add']({ registry: 'r.io', username: 'u', secret: SECRET });
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('pass the request after its schema ran (defaults filled in, registry trimmed)', async () => {
    const add = vi.fn(async () => ({ id: 'r.io', kind: 'remote', label: 'r.io', options: {} }));
    const handlers = createHandlers({ services: services({ registries: { add } }), mode: 'electron', version: '1' });
    await handlers['registries.add']({ registry: ' r.io ' });
    expect(add).toHaveBeenCalledWith({ registry: 'r.io', options: {} });
  });

  it("close the browse connections to a registry once its login or options changed, even when the change failed", async () => {
    const forget = vi.fn(async () => {});
    const logout = vi.fn(async () => ({ id: 'r.io', kind: 'remote', label: 'r.io', options: {} }));
    const remove = vi.fn(async () => {
      throw new OrasError('NOT_FOUND', 'r.io is not in the list of registries');
    });
    const handlers = createHandlers({ services: services({ registries: { logout, remove }, browse: { targets: { forget } } }), mode: 'electron', version: '1' });
    expect(await handlers['registries.logout']({ registry: ' r.io ' })).toMatchObject({ ok: true });
    expect(await handlers['registries.remove']({ registry: 'r.io' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(forget.mock.calls).toEqual([['r.io'], ['r.io']]);
  });

  it('pass browse requests to the browse service after their schema ran', async () => {
    const tags = vi.fn(async () => ({ tags: ['v1'] }));
    const handlers = createHandlers({ services: services({ browse: { tags } }), mode: 'browser', version: '1' });
    expect(await handlers['browse.tags']({ registry: 'local', repository: 'team-a/app', pageSize: 10 })).toEqual({ ok: true, value: { tags: ['v1'] } });
    expect(tags).toHaveBeenCalledWith({ registry: 'local', repository: 'team-a/app', pageSize: 10 });
  });

  it('refuse files.stage in browser mode, where files are uploaded', async () => {
    const handlers = createHandlers({ services: untouchable(), mode: 'browser', version: '1' });
    const result = await handlers['files.stage']({ paths: ['/etc/passwd'] });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });

  it('pick a folder with the desktop dialog and stage it as one folder; cancelled says so; browser mode has none', async () => {
    const register = vi.fn(async (paths: string[]) => paths.map((p) => ({ id: 'f1', name: p.split('/').pop(), size: 0, kind: 'directory' })));
    const chosen: Array<string | undefined> = ['/home/me/site', undefined];
    const pickFolder = vi.fn(async () => chosen.shift());
    const handlers = createHandlers({ services: services({ staging: { register } }), mode: 'electron', version: '1', pickFolder });
    expect(await handlers['files.pickFolder']()).toEqual({ ok: true, value: { id: 'f1', name: 'site', size: 0, kind: 'directory' } });
    expect(register).toHaveBeenCalledWith(['/home/me/site']);
    expect(await handlers['files.pickFolder']()).toEqual({ ok: true, value: { cancelled: true } });
    const browser = createHandlers({ services: untouchable(), mode: 'browser', version: '1', pickFolder });
    expect(await browser['files.pickFolder']()).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringMatching(/file input/) } });
    expect(pickFolder).toHaveBeenCalledTimes(2);
  });

  it('answer NOT_FOUND for a channel that does not exist, own properties only', async () => {
    const handlers = createHandlers({ services: untouchable(), mode: 'browser', version: '1' });
    for (const name of ['registries.drop', '__proto__', 'constructor', 'toString', '']) {
      expect(await dispatch(handlers, name, {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    expect(Object.isFrozen(handlers)).toBe(true);
  });
});
