import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleNode } from '../../scripts/bundle-node.mjs';

/**
 * The `oras` CLI as a process of its own, bundled by this test file into a private
 * folder under dist/ (so it never races another file rebuilding dist/cli.js, and still
 * finds node_modules). A process of its own shows what an in-process run cannot: that
 * the command exits, and how long it takes to.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
}

export interface CliBin {
  run(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliResult>;
  remove(): Promise<void>;
}

export async function buildCliBin(): Promise<CliBin> {
  const dir = path.join(ROOT, 'dist', `test-cli-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  await bundleNode(path.join(ROOT, 'src', 'cli', 'main.ts'), path.join(dir, 'cli.js'));
  const main = path.join(dir, 'oras.mjs');
  await writeFile(main, "import { run } from './cli.js';\nawait run();\n");
  return {
    run: (args, options) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(process.execPath, [main, ...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr, ms: Date.now() - started });
        });
        child.stdin.end(options.input ?? '');
      }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
