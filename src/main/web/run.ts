import { parseArgs } from 'node:util';
import type { LoginBackend } from '../services/login-backend';
import { resolveDataDir } from '../services';
import { startBrowserMode, type BrowserMode } from './browser-mode';
import { openBrowser as defaultOpenBrowser } from './open-browser';

export const WEB_USAGE = `Usage: npm run web -- [--port N] [--no-open] [--data-dir DIR]
       (packaged app: oras-desktop --web [--port N] [--no-open] [--data-dir DIR])

Serves ORAS Desktop to your browser at http://127.0.0.1:N/?token=… (loopback only;
the token is new on every run) and opens it, unless --no-open.

  --port N        port on 127.0.0.1 (default: any free port)
  --no-open       print the URL, do not open a browser
  --data-dir DIR  settings and the local OCI layout (default: $ORAS_DESKTOP_DATA_DIR,
                  else $XDG_CONFIG_HOME/oras-desktop, else ~/.config/oras-desktop)
  -h, --help      this text
`;

export interface WebFlags {
  port: number;
  open: boolean;
  dataDir?: string;
  help: boolean;
}

/** WebUsageError is a bad command line; its message says what to fix. */
export class WebUsageError extends Error {}

/** parseWebArgs reads browser mode's command line. */
export function parseWebArgs(argv: readonly string[]): WebFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new WebUsageError((error as Error).message);
  }
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
      throw new WebUsageError(`--port ${JSON.stringify(values.port)}: give a port number from 0 to 65535`);
    }
    port = Number(values.port);
  }
  if (values['data-dir'] === '') throw new WebUsageError('--data-dir: give a folder');
  return { port, open: !values['no-open'], dataDir: values['data-dir'], help: values.help };
}

export interface RunWebOptions {
  argv: readonly string[];
  rendererRoot: string;
  version: string;
  logins: LoginBackend;
  /** Electron's userData, when run from the packaged app. */
  defaultDataDir?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  openBrowser?: (url: string) => Promise<boolean>;
}

/**
 * runWeb starts browser mode from a command line and prints its URL. It resolves with
 * the running server, or null after `--help`; it throws WebUsageError for a bad command line.
 */
export async function runWeb(options: RunWebOptions): Promise<BrowserMode | null> {
  const stdout = options.stdout ?? process.stdout;
  const flags = parseWebArgs(options.argv);
  if (flags.help) {
    stdout.write(WEB_USAGE);
    return null;
  }
  const dataDir = resolveDataDir({ flag: flags.dataDir, fallback: options.defaultDataDir });
  const mode = await startBrowserMode({
    dataDir,
    rendererRoot: options.rendererRoot,
    logins: options.logins,
    version: options.version,
    port: flags.port,
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${flags.port} on 127.0.0.1 is in use: pick another with --port, or leave --port out for any free port`);
    }
    throw error;
  });
  const { url } = mode.server;
  stdout.write(`ORAS Desktop (browser mode) is at:\n\n  ${url}\n\nData folder: ${dataDir}\nStop it with Ctrl+C.\n`);
  if (flags.open && !(await (options.openBrowser ?? defaultOpenBrowser)(url))) {
    (options.stderr ?? process.stderr).write('Could not open a browser here: open the URL above yourself.\n');
  }
  return mode;
}

/**
 * stopOnSignals closes browser mode on Ctrl+C or SIGTERM (removing the staging folder),
 * then exits. A terminal sends Ctrl+C to the whole process group (npm, scripts/web.mjs,
 * which passes it on, and this process), so repeated signals while closing are ignored
 * rather than left to kill the process halfway; a close that hangs ends after 5 s,
 * the staging folder still removed by the process's exit hook.
 */
export function stopOnSignals(mode: BrowserMode, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const code = signal === 'SIGINT' ? 130 : 0;
    setTimeout(() => exit(code), 5000).unref();
    mode.close().then(
      () => exit(code),
      () => exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}
