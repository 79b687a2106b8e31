import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** Opens the data folder (settings, the local OCI layout) in the file manager. */
  openDataFolder(): void;
  /** Opens https://oras.land in the user's browser. */
  openWebsite(): void;
  /** Shows the About panel (on macOS the app menu's role does it). */
  showAbout(): void;
}

export const ORAS_WEBSITE = 'https://oras.land';

/**
 * menuTemplate is the application menu: the platform's usual File, Edit, View, Window
 * and Help menus (roles, so copy and paste work in text fields on macOS), plus the app's
 * own few items. Developer tools and reload only in an unpackaged app.
 */
export function menuTemplate(options: {
  platform: NodeJS.Platform;
  appName: string;
  isPackaged: boolean;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const { actions } = options;
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      { label: 'Open Data Folder', click: () => actions.openDataFolder() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: '&View',
    submenu: [
      ...(options.isPackaged
        ? []
        : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] satisfies MenuItemConstructorOptions[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: '&Window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({
    label: '&Help',
    role: 'help',
    submenu: [
      { label: 'ORAS Website', click: () => actions.openWebsite() },
      ...(mac ? [] : ([{ type: 'separator' }, { label: `About ${options.appName}`, click: () => actions.showAbout() }] satisfies MenuItemConstructorOptions[])),
    ],
  });
  return template;
}
