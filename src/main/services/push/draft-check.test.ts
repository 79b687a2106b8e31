import { describe, expect, it } from 'vitest';
import { pushDraftSchema, type PushDraftInput } from '../../../shared/push';
import { OrasError } from '../../engine/errors';
import { checkDraft, validateDraft } from './draft-check';
import type { ResolvedStaged } from './draft-store';

const files: Record<string, ResolvedStaged> = {
  a: { id: 'a', name: 'a.txt', size: 1, kind: 'file', path: '/in/a.txt' },
  b: { id: 'b', name: 'b.txt', size: 1, kind: 'file', path: '/in/b.txt' },
  dir: { id: 'dir', name: 'docs', size: 0, kind: 'directory', path: '/in/docs' },
};
const resolveStaged = async (id: string): Promise<ResolvedStaged> => {
  const found = files[id];
  if (!found) throw new OrasError('NOT_FOUND', 'that file is no longer staged: drop it again');
  return found;
};
const target = { registry: 'Registry.Example:5000', repository: 'team/app', tags: ['v1'] };
const check = (input: PushDraftInput) => checkDraft(pushDraftSchema.parse(input), resolveStaged);
const refusal = async (input: PushDraftInput) => {
  try {
    await check(input);
  } catch (error) {
    return { code: (error as OrasError).code, message: (error as OrasError).message };
  }
  throw new Error('the draft was accepted');
};

describe('checkDraft', () => {
  it('accepts a good draft, normalising the registry and trimming what was typed', async () => {
    const checked = await check({
      files: [{ stagedId: 'a', title: ' a.txt ', mediaType: ' text/plain ' }],
      config: { kind: 'inline', text: '{"x":1}', mediaType: 'application/json' },
      artifactType: 'application/vnd.example',
      target: { ...target, tags: ['v1', ' ', 'v2'] },
    });
    expect(checked).toMatchObject({ registry: 'registry.example:5000', repository: 'team/app', tags: ['v1', 'v2'], artifactType: 'application/vnd.example' });
    expect(checked.files[0]).toMatchObject({ title: 'a.txt', mediaType: 'text/plain', staged: files.a });
    expect(checked.config).toMatchObject({ kind: 'inline', mediaType: 'application/json' });
  });

  it('names the field of each problem', async () => {
    expect(await refusal({ files: [{ stagedId: 'a', title: 'a.txt', mediaType: 'text' }], target })).toMatchObject({
      code: 'INVALID_MEDIA_TYPE',
      message: expect.stringMatching(/^files\[0\] \(a\.txt\)\.mediaType: invalid media type of a\.txt "text"/),
    });
    expect(await refusal({ files: [{ stagedId: 'a', title: '', mediaType: '' }], target })).toMatchObject({ message: expect.stringMatching(/^files\[0\]\.title: the title is empty/) });
    expect(await refusal({ files: [{ stagedId: 'a', title: '../a.txt' }], target })).toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringMatching(/^files\[0\] \(\.\.\/a\.txt\)\.title:/) });
    expect(await refusal({ files: [{ stagedId: 'a', title: '/etc/a' }], target })).toMatchObject({ code: 'UNSAFE_PATH' });
    expect(await refusal({ files: [{ stagedId: 'a', title: 'x' }, { stagedId: 'b', title: 'x' }], target })).toMatchObject({ message: expect.stringMatching(/^files\[1\] \(x\)\.title: two files are titled "x"/) });
    expect(await refusal({ files: [{ stagedId: 'gone', title: 'g' }], target })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^files\[0\] \(g\): .*drop it again/) });
    expect(await refusal({ config: { kind: 'inline', text: 'nope' }, target })).toMatchObject({ message: expect.stringMatching(/^config\.text: the config is not valid JSON/) });
    expect(await refusal({ config: { kind: 'file', stagedId: 'dir' }, target })).toMatchObject({ message: expect.stringMatching(/^config: docs is a folder/) });
    expect(await refusal({ artifactType: 'nope', target })).toMatchObject({ message: expect.stringMatching(/^artifactType: invalid artifact type/) });
    expect(await refusal({ annotations: { ' ': 'v' }, target })).toMatchObject({ code: 'INVALID_ANNOTATION', message: expect.stringMatching(/^annotations: /) });
    expect(await refusal({ target: { ...target, registry: '' } })).toMatchObject({ message: expect.stringMatching(/^target\.registry: choose where to push/) });
    expect(await refusal({ target: { ...target, repository: 'Team/App' } })).toMatchObject({ code: 'INVALID_REFERENCE', message: expect.stringMatching(/^target\.repository: /) });
    expect(await refusal({ target: { ...target, tags: ['ok', '-bad'] } })).toMatchObject({ message: expect.stringMatching(/^target\.tags\[1\]: /) });
  });

  it('needs a subject, an artifact type and image spec 1.1 to attach, and never tags the attached artifact', async () => {
    const attach = { mode: 'attach' as const, subject: 'v1', artifactType: 'application/vnd.example.sbom', target };
    expect((await check(attach)).tags).toEqual([]);
    expect(await refusal({ ...attach, subject: '' })).toMatchObject({ message: expect.stringMatching(/^subject: /) });
    expect(await refusal({ ...attach, artifactType: '' })).toMatchObject({ message: expect.stringMatching(/^artifactType: attaching needs an artifact type/) });
    expect(await refusal({ ...attach, imageSpec: 'v1.0' })).toMatchObject({ message: expect.stringMatching(/^imageSpec: /) });
  });

  it('refuses a v1.0 config whose media type is not the artifact type', async () => {
    expect(
      await refusal({ imageSpec: 'v1.0', artifactType: 'application/vnd.a', config: { kind: 'inline', text: '{}', mediaType: 'application/vnd.b' }, target }),
    ).toMatchObject({ message: expect.stringMatching(/^artifactType: with image spec v1.0/) });
  });

  it('lists every problem at once by field, for inline errors', async () => {
    const problems = await validateDraft(
      pushDraftSchema.parse({
        files: [
          { stagedId: 'a', title: 'a.txt', mediaType: 'text' },
          { stagedId: 'gone', title: 'b.txt', mediaType: 'text/plain' },
        ],
        config: { kind: 'inline', text: '{', mediaType: 'application/json' },
        target: { registry: 'r.io', repository: '', tags: ['ok', '', '-no'] },
      }),
      resolveStaged,
    );
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['target.repository', 'INVALID_ARGUMENT'],
      ['target.tags[2]', 'INVALID_REFERENCE'],
      ['files[0].mediaType', 'INVALID_MEDIA_TYPE'],
      ['files[1]', 'NOT_FOUND'],
      ['config.text', 'INVALID_ARGUMENT'],
    ]);
    expect(problems[2]!.message).toMatch(/^invalid media type of a\.txt "text"/);
    expect(await validateDraft(pushDraftSchema.parse({ files: [{ stagedId: 'a', title: 'a.txt' }], target }), resolveStaged)).toEqual([]);
  });
});
