import { THEMES, type KeyValueStorage, type SliceCreator, type Theme, type UiData, type UiSlice } from './types';

/** THEME_KEY is where the theme is kept in localStorage. */
export const THEME_KEY = 'oras.theme';

/** readTheme returns the saved theme, or `system` when none (or a bad one) is saved. */
export function readTheme(storage: KeyValueStorage | undefined): Theme {
  try {
    const saved = storage?.getItem(THEME_KEY);
    return THEMES.includes(saved as Theme) ? (saved as Theme) : 'system';
  } catch {
    return 'system'; // storage may be disabled; the theme then lasts one session
  }
}

export const initialUiData = (storage?: KeyValueStorage): UiData => ({
  theme: readTheme(storage),
  dialog: null,
  appInfo: null,
});

/** createUiSlice: the theme (persisted) and the one open dialog. */
export const createUiSlice: SliceCreator<UiSlice> = ({ storage, services }) => (set, get) => ({
  ...initialUiData(storage),

  setTheme(theme) {
    if (!THEMES.includes(theme)) return;
    set({ theme });
    try {
      storage?.setItem(THEME_KEY, theme);
    } catch {
      // Storage full or disabled: keep the theme for this session.
    }
  },

  openDialog(dialog) {
    // Each dialog opens fresh: no error, test result or running check from before.
    if (dialog.kind === 'remove-registry') get().clearRegistryErrors('remove');
    else get().cancelRegistryCheck();
    set({ dialog });
  },

  /** closeDialog closes the dialog and stops waiting for any check it started. */
  closeDialog() {
    get().cancelRegistryCheck();
    set({ dialog: null });
  },

  async loadAppInfo() {
    try {
      set({ appInfo: await services.app.info() });
    } catch {
      // The version line is a nicety; the registries list reports a broken connection.
    }
  },
});
