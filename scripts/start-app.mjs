#!/usr/bin/env node
// start-app.mjs — `npm start`: build and open the desktop app (`electron-vite preview`).
// Where Electron cannot load (its binary was never downloaded, or there is no display),
// it says so and points to browser mode, which serves the same app to a browser.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function unavailable(why) {
  console.error(`npm start: cannot open the desktop app: ${why}.

Run the same app in your browser instead (browser mode, on 127.0.0.1 only):

  npm run web            # opens your browser
  npm run web -- --no-open --port 8080

The CLI works without Electron too: npx oras --help`);
  process.exit(1);
}

let electron;
try {
  // The electron package exports its binary's path, and throws when the binary is missing.
  electron = require('electron');
} catch (error) {
  unavailable(`Electron's binary is not installed (${error.message.split('\n')[0]}); it is downloaded from GitHub by npm install, which this machine skipped or could not reach`);
}
if (typeof electron !== 'string') unavailable('the electron package does not name a binary');
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  unavailable('there is no graphical session (DISPLAY and WAYLAND_DISPLAY are unset)');
}

const child = spawn(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'preview', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
