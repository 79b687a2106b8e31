import { useAppStore } from '../store/react';
import { THEMES, type Theme } from '../store/types';

const LABELS: Record<Theme, string> = { light: 'Light', dark: 'Dark', system: 'System' };

/** ThemeSwitcher: three radio buttons (arrow keys move between them), drawn as a segmented control. */
export function ThemeSwitcher() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  return (
    <fieldset className="theme-switcher">
      <legend>Theme</legend>
      <div className="segmented">
        {THEMES.map((t) => (
          <label key={t} className="segment">
            <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} />
            <span>{LABELS[t]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
