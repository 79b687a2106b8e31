import { describe, expect, it } from 'vitest';
import type { CheckedDraft } from './draft-check';
import { COMMAND_ANNOTATION_FILE, COMMAND_CONFIG_FILE, pushCommand } from './push-command';

const staged = (p: string, kind: 'file' | 'directory' = 'file') => ({ id: p, name: p.split('/').pop()!, size: 1, kind, path: p });

function draft(over: Partial<CheckedDraft> = {}): CheckedDraft {
  return {
    mode: 'push',
    registry: 'registry.example:5000',
    repository: 'team/app',
    tags: ['v1', 'latest'],
    files: [{ stagedId: 'a', title: 'rocket.txt', mediaType: 'text/plain', annotations: {}, staged: staged('/work/in/rocket.txt') }],
    config: { kind: 'none' },
    annotations: {},
    imageSpec: 'v1.1',
    reproducible: false,
    ...over,
  };
}

describe('pushCommand', () => {
  it('writes oras push with the tags, files by title in their folder, and the created time pinned', () => {
    const command = pushCommand(draft(), { created: '2024-05-01T12:00:00Z' });
    expect(command.words).toEqual([
      'oras', 'push', 'registry.example:5000/team/app:v1,latest', 'rocket.txt:text/plain', '-a', 'org.opencontainers.image.created=2024-05-01T12:00:00Z',
    ]);
    expect(command.cwd).toBe('/work/in');
    expect(command.env).toBeUndefined();
    expect(command.line).toBe('oras push registry.example:5000/team/app:v1,latest rocket.txt:text/plain -a org.opencontainers.image.created=2024-05-01T12:00:00Z');
    expect(command.files).toEqual([]);
    expect(command.note).toBeUndefined();
  });

  it('reaches the local store as an OCI layout and a remote one with its connection flags', () => {
    const local = pushCommand(draft({ registry: 'local', reproducible: true }), { layoutFolder: '/data/oci-layout/team/app' });
    expect(local.words.slice(0, 4)).toEqual(['oras', 'push', '--oci-layout', '/data/oci-layout/team/app:v1,latest']);
    expect(local.words).toContain('--reproducible');
    const remote = pushCommand(draft(), { entry: { id: 'registry.example:5000', kind: 'remote', label: 'r', options: { plainHttp: true, caFile: '/ca dir/ca.pem' } } });
    expect(remote.words.slice(2, 5)).toEqual(['--plain-http', '--ca-file', '/ca dir/ca.pem']);
    expect(remote.line).toContain("'/ca dir/ca.pem'");
  });

  it('writes an inline config and per-file annotations to files next to the command', () => {
    const command = pushCommand(
      draft({
        config: { kind: 'inline', bytes: new TextEncoder().encode('{"a":1}'), mediaType: '' },
        files: [
          { stagedId: 'a', title: 'rocket.txt', mediaType: '', annotations: { k: 'v' }, staged: staged('/work/in/rocket.txt') },
          { stagedId: 'b', title: 'docs', mediaType: '', annotations: {}, staged: staged('/work/in/docs', 'directory') },
        ],
        annotations: { team: 'rockets' },
        artifactType: 'application/vnd.example',
        imageSpec: 'v1.0',
      }),
      { sourceDateEpoch: '1700000000' },
    );
    // A folder is packed: its tar times come from SOURCE_DATE_EPOCH, set in front as main has it.
    expect(command.env).toEqual({ SOURCE_DATE_EPOCH: '1700000000' });
    expect(command.line.startsWith('SOURCE_DATE_EPOCH=1700000000 oras push ')).toBe(true);
    expect(command.words).toEqual([
      'oras', 'push', 'registry.example:5000/team/app:v1,latest', 'rocket.txt', 'docs',
      '--config', `${COMMAND_CONFIG_FILE}:application/vnd.unknown.config.v1+json`,
      '--artifact-type', 'application/vnd.example',
      '--annotation-file', COMMAND_ANNOTATION_FILE,
      '--image-spec', 'v1.0',
    ]);
    expect(command.files).toEqual([
      { name: COMMAND_CONFIG_FILE, text: '{"a":1}' },
      { name: COMMAND_ANNOTATION_FILE, text: `${JSON.stringify({ $manifest: { team: 'rockets' }, 'rocket.txt': { k: 'v' } }, null, 2)}\n` },
    ]);
  });

  it('attaches to a subject by digest or tag, and says when titles are not the files\u2019 names', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(pushCommand(draft({ mode: 'attach', subject: digest, tags: [], artifactType: 'application/vnd.x' })).words.slice(0, 3)).toEqual([
      'oras', 'attach', `registry.example:5000/team/app@${digest}`,
    ]);
    expect(pushCommand(draft({ mode: 'attach', subject: 'v1', tags: [] })).words[2]).toBe('registry.example:5000/team/app:v1');
    const renamed = pushCommand(draft({ files: [{ stagedId: 'a', title: 'renamed.txt', mediaType: '', annotations: {}, staged: staged('/work/in/rocket.txt') }] }));
    expect(renamed.cwd).toBeUndefined();
    expect(renamed.note).toMatch(/titles/);
  });
});
