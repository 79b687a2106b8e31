import { spawn } from 'node:child_process';

/**
 * browserCommand names the program that opens a URL in the user's browser, with its
 * arguments (the URL is one argument: no shell ever parses it).
 */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // rundll32 takes the URL whole; `cmd /c start` would split it at `&`.
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/** openBrowser opens `url` and resolves false (never throws) when no browser could be started. */
export function openBrowser(url: string): Promise<boolean> {
  const [command, args] = browserCommand(url);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
