import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { DesktopDialogs } from '../services/browse/download-service';

/**
 * createDesktopDialogs implements the downloads' dialogs with Electron's `dialog`:
 * a save dialog for one file (its name proposed, in the Downloads folder) and a folder
 * picker for "Pull all files". Each answers undefined when the user cancels. The
 * dialog is modal to the window that asked, when there is one.
 */
export function createDesktopDialogs(dialog: Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>, options: { window: () => BrowserWindow | undefined; downloadsFolder: () => string }): DesktopDialogs {
  return {
    async saveFile(defaultName) {
      const settings = { title: 'Save blob', defaultPath: path.join(options.downloadsFolder(), defaultName), properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<'createDirectory' | 'showOverwriteConfirmation'> };
      const window = options.window();
      const answer = window ? await dialog.showSaveDialog(window, settings) : await dialog.showSaveDialog(settings);
      return answer.canceled || !answer.filePath ? undefined : answer.filePath;
    },
    async pickFolder() {
      const settings = {
        title: 'Pull all files into…',
        buttonLabel: 'Pull here',
        defaultPath: options.downloadsFolder(),
        properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
      };
      const window = options.window();
      const answer = window ? await dialog.showOpenDialog(window, settings) : await dialog.showOpenDialog(settings);
      return answer.canceled ? undefined : answer.filePaths[0];
    },
  };
}

/**
 * pickFolderToPush asks for the folder the push composer packs as one tar+gzip layer
 * (the page's `<input webkitdirectory>` would hand over its files, not the folder).
 * Answers the folder's path, or undefined when the user cancels; modal to the window
 * that asked, when there is one.
 */
export async function pickFolderToPush(dialog: Pick<Dialog, 'showOpenDialog'>, window: BrowserWindow | undefined): Promise<string | undefined> {
  const settings = { title: 'Push a folder', buttonLabel: 'Add folder', properties: ['openDirectory'] as Array<'openDirectory'> };
  const answer = window ? await dialog.showOpenDialog(window, settings) : await dialog.showOpenDialog(settings);
  return answer.canceled ? undefined : answer.filePaths[0];
}
