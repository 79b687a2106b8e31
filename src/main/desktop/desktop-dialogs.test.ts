import { describe, expect, it, vi } from 'vitest';
import { createDesktopDialogs, pickFolderToPush } from './desktop-dialogs';

// Electron's dialog as a stand-in: what the downloads ask of it and how they read its answers.
const window = { id: 1 } as never;

describe('createDesktopDialogs', () => {
  it('proposes the file name in the Downloads folder, modal to the window, and answers the chosen path', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: '/home/me/Downloads/rocket.txt' }));
    const dialogs = createDesktopDialogs({ showSaveDialog, showOpenDialog: vi.fn() } as never, { window: () => window, downloadsFolder: () => '/home/me/Downloads' });
    expect(await dialogs.saveFile('rocket.txt')).toBe('/home/me/Downloads/rocket.txt');
    expect(showSaveDialog).toHaveBeenCalledWith(window, expect.objectContaining({ defaultPath: '/home/me/Downloads/rocket.txt' }));
  });

  it('answers undefined when the user cancels either dialog', async () => {
    const dialogs = createDesktopDialogs(
      { showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })), showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })) } as never,
      { window: () => undefined, downloadsFolder: () => '/tmp' },
    );
    expect(await dialogs.saveFile('x')).toBeUndefined();
    expect(await dialogs.pickFolder()).toBeUndefined();
  });

  it('picks a folder, without a window too', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/me/out'] }));
    const dialogs = createDesktopDialogs({ showSaveDialog: vi.fn(), showOpenDialog } as never, { window: () => undefined, downloadsFolder: () => '/home/me' });
    expect(await dialogs.pickFolder()).toBe('/home/me/out');
    expect(showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ properties: ['openDirectory', 'createDirectory'] }));
  });
});

describe('pickFolderToPush', () => {
  it('asks for one folder, modal to the window, and answers its path', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/me/site'] }));
    expect(await pickFolderToPush({ showOpenDialog } as never, window)).toBe('/home/me/site');
    expect(showOpenDialog).toHaveBeenCalledWith(window, expect.objectContaining({ properties: ['openDirectory'] }));
  });

  it('answers undefined when the user cancels, without a window too', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: true, filePaths: [] }));
    expect(await pickFolderToPush({ showOpenDialog } as never, undefined)).toBeUndefined();
    expect(showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ title: 'Push a folder' }));
  });
});
