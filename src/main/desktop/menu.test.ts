import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from './menu';

const actions = () => ({ openDataFolder: vi.fn(), openWebsite: vi.fn(), showAbout: vi.fn() });

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((m) => [m, ...items((m.submenu as MenuItemConstructorOptions[] | undefined) ?? [])]);
}
const roles = (template: MenuItemConstructorOptions[]) => items(template).map((i) => i.role).filter(Boolean);
const find = (template: MenuItemConstructorOptions[], label: string) => items(template).find((i) => i.label === label);

describe('menuTemplate', () => {
  it('gives Linux and Windows File, Edit, View, Window and Help, with quit and an About item', () => {
    const a = actions();
    const template = menuTemplate({ platform: 'linux', appName: 'ORAS Desktop', isPackaged: true, actions: a });
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    expect(roles(template)).toEqual(expect.arrayContaining(['quit', 'copy', 'paste', 'selectAll', 'undo', 'zoomIn', 'minimize']));
    find(template, 'About ORAS Desktop')!.click!(undefined as never, undefined, undefined as never);
    expect(a.showAbout).toHaveBeenCalled();
  });

  it("gives macOS the app menu with the platform's roles", () => {
    const template = menuTemplate({ platform: 'darwin', appName: 'ORAS Desktop', isPackaged: true, actions: actions() });
    expect(template[0]!.label).toBe('ORAS Desktop');
    expect(roles([template[0]!])).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
    expect(find(template, 'About ORAS Desktop')).toBeUndefined();
  });

  it('has developer tools and reload only in an unpackaged app', () => {
    const shipped = menuTemplate({ platform: 'linux', appName: 'x', isPackaged: true, actions: actions() });
    expect(roles(shipped)).not.toContain('toggleDevTools');
    expect(roles(shipped)).not.toContain('reload');
    const dev = menuTemplate({ platform: 'linux', appName: 'x', isPackaged: false, actions: actions() });
    expect(roles(dev)).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
  });

  it("runs the app's own items", () => {
    const a = actions();
    const template = menuTemplate({ platform: 'win32', appName: 'x', isPackaged: true, actions: a });
    find(template, 'Open Data Folder')!.click!(undefined as never, undefined, undefined as never);
    find(template, 'ORAS Website')!.click!(undefined as never, undefined, undefined as never);
    expect(a.openDataFolder).toHaveBeenCalledTimes(1);
    expect(a.openWebsite).toHaveBeenCalledTimes(1);
  });
});
