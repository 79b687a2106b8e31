import { useEffect } from 'react';
import { Dialogs } from './components/Dialogs';
import { RegistryDetails } from './components/RegistryDetails';
import { Sidebar } from './components/Sidebar';
import { ThemeSwitcher } from './components/ThemeSwitcher';
import { useAppStore } from './store/react';

/** useDocumentTheme puts the chosen theme on `<html data-theme>`, where styles.css reads it. */
function useDocumentTheme() {
  const theme = useAppStore((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

/**
 * App is the shell: the registries sidebar (local OCI layout first, then every saved
 * registry), the selected registry's details, and the one open dialog.
 */
export function App() {
  useDocumentTheme();
  const appInfo = useAppStore((s) => s.appInfo);
  const loadRegistries = useAppStore((s) => s.loadRegistries);
  const loadAppInfo = useAppStore((s) => s.loadAppInfo);

  useEffect(() => {
    void loadRegistries();
    void loadAppInfo();
  }, [loadRegistries, loadAppInfo]);

  return (
    <div className="shell">
      <aside className="sidebar">
        <h1 className="brand">ORAS Desktop</h1>
        <Sidebar />
        <div className="sidebar-footer">
          <ThemeSwitcher />
          {appInfo && (
            <p className="version">
              v{appInfo.version}
              {appInfo.mode === 'browser' ? ' · browser mode' : ''}
            </p>
          )}
        </div>
      </aside>
      <main className="main">
        <RegistryDetails />
      </main>
      <Dialogs />
    </div>
  );
}
