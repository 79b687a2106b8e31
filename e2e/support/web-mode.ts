import { spawn } from 'node:child_process';
import { WEB_ENTRY } from './paths';

export interface WebMode {
  /** The URL browser mode printed: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  /** Everything the server wrote so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * startWebMode runs the real browser mode (`node dist/web.js`, what `npm run web` runs)
 * on a free loopback port with its own data folder and resolves with the URL it prints.
 */
export async function startWebMode(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<WebMode> {
  const child = spawn(process.execPath, [WEB_ENTRY, '--port', '0', '--no-open', '--data-dir', dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`e2e: browser mode exited on its own (code ${code}, signal ${signal}):\n${output}`);
      resolve();
    }),
  );

  const stop = async (): Promise<void> => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('browser mode printed no URL within 30 s')), 30_000);
    const look = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) done(undefined, match[0]);
    };
    const early = () => done(new Error(`browser mode exited (code ${child.exitCode})`));
    function done(error?: Error, found?: string) {
      clearTimeout(timer);
      child.stdout.off('data', look);
      child.off('exit', early);
      if (found) resolve(found);
      else reject(new Error(`${error?.message}:\n${output}`));
    }
    child.stdout.on('data', look);
    child.once('exit', early);
    look();
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  return { url, output: () => output, stop };
}
