import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBuildInfo } from '../scripts/git-build-info.mjs';
import { runCli } from '../src/cli/testing/test-io';
import { buildCliBin, type CliBin } from './support/cli-bin';
import { useTempDirs } from './support/tmp';

/**
 * The README parity table's smaller rows (issue 10's "smaller ones"), each checked
 * against what ORAS 1.3's sources print: `oras version`'s Git lines
 * (cmd/oras/root/version.go).
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const tempDir = useTempDirs('oras-parity-small-');
let cwd: string;

const oras = (...argv: string[]) => runCli(argv, { cwd, env: { HOME: cwd } });

beforeAll(async () => {
  cwd = await tempDir();
});

describe('oras version: Git commit and tree state, as ORAS stamps them', () => {
  let bin: CliBin;
  beforeAll(async () => {
    bin = await buildCliBin();
  }, 60_000);
  afterAll(() => bin?.remove());

  it('a build from this checkout prints its commit and whether the tree was clean, in the one column', async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const result = await bin.run(['version'], { cwd, env: { HOME: cwd, PATH: process.env.PATH } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3).map((l) => l.split(':')[0])).toEqual(['Version', 'Node version', 'OS/Arch']);
    expect(lines[3]).toBe(`Git commit:     ${head}`);
    expect(lines[4]).toMatch(/^Git tree state: (clean|dirty)$/);
    const json = JSON.parse((await bin.run(['version', '--format', 'json'], { cwd, env: { HOME: cwd, PATH: process.env.PATH } })).stdout);
    expect(json).toMatchObject({ gitCommit: head, gitTreeState: expect.stringMatching(/^(clean|dirty)$/) });
  });

  it('run without a build stamp (from source), the Git lines are left out, as ORAS leaves them out', async () => {
    const result = await oras('version');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/Git/);
    expect(JSON.parse((await oras('version', '--format', 'json')).stdout)).not.toHaveProperty('gitCommit');
  });

  it('a folder that is not this project\'s own checkout has no build info', async () => {
    expect(gitBuildInfo(cwd)).toEqual({ commit: '', treeState: '' });
    // Inside the checkout but not its top: as an npm install inside another project's repository.
    expect(gitBuildInfo(path.join(ROOT, 'src'))).toEqual({ commit: '', treeState: '' });
    expect(gitBuildInfo(ROOT).commit).toMatch(/^[0-9a-f]{40}$/);
  });
});
