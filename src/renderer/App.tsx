import { useEffect, useRef } from 'react';
import { Dialogs } from './components/Dialogs';
import { EmptyState, Loading } from './components/kit';
import { Sidebar } from './components/Sidebar';
import { ThemeSwitcher } from './components/ThemeSwitcher';
import { Toolbar } from './components/Toolbar';
import { href, registryOf, type Route } from './routes/routes';
import { titleOf } from './routes/titles';
import { navigate, useHistoryKeys, useRoute } from './routes/use-route';
import { useAppStore } from './store/react';
import { BlobView } from './views/BlobView';
import { ManifestView } from './views/ManifestView';
import { RepositoriesView } from './views/RepositoriesView';
import { TagsPage } from './views/tags/TagsPage';
import { PushView } from './views/push/PushView';
import { useWindowFileDrop } from './views/push/window-drop';

/** useDocumentTheme puts the chosen theme on `<html data-theme>`, where styles.css reads it. */
function useDocumentTheme() {
  const theme = useAppStore((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

/**
 * useSidebarFollowsRoute keeps the sidebar's selection and the route in step: a route
 * naming a saved registry selects it; a selection the store makes on its own (a
 * registry just added, or the shown one removed) opens that registry's view.
 */
function useSidebarFollowsRoute(route: Route) {
  const entries = useAppStore((s) => s.entries);
  const selectedId = useAppStore((s) => s.selectedId);
  const selectRegistry = useAppStore((s) => s.selectRegistry);
  const routeRegistry = registryOf(route);
  const previous = useRef(selectedId);

  // One effect, so the two directions never answer each other: what changed decides.
  useEffect(() => {
    const before = previous.current;
    previous.current = selectedId;
    if (selectedId !== before && selectedId !== routeRegistry) {
      navigate({ name: 'repositories', registry: selectedId });
    } else if (routeRegistry && routeRegistry !== selectedId && entries.some((e) => e.id === routeRegistry)) {
      selectRegistry(routeRegistry);
    }
  }, [routeRegistry, selectedId, entries, selectRegistry]);
}

/**
 * App is the shell: the registries sidebar, and a main area with the toolbar
 * (breadcrumb, open-a-reference box, Copy link) over the view the route names.
 */
export function App() {
  useDocumentTheme();
  const route = useRoute();
  const appInfo = useAppStore((s) => s.appInfo);
  const loadRegistries = useAppStore((s) => s.loadRegistries);
  const loadAppInfo = useAppStore((s) => s.loadAppInfo);
  useSidebarFollowsRoute(route);
  useWindowFileDrop();
  // Browsers walk history on Alt+←/→ and the mouse's side buttons themselves; Electron does not.
  useHistoryKeys(appInfo?.mode === 'electron');

  useEffect(() => {
    void loadRegistries();
    void loadAppInfo();
  }, [loadRegistries, loadAppInfo]);

  useEffect(() => {
    document.title = titleOf(route);
  }, [route]);

  return (
    <div className="shell">
      <aside className="sidebar">
        <h1 className="brand">ORAS Desktop</h1>
        <Sidebar />
        <a className="button button-primary sidebar-push" href={href({ name: 'push' })} aria-current={route.name === 'push' ? 'page' : undefined}>
          Push…
        </a>
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
      <main className="main browse-main">
        <Toolbar route={route} />
        <RouteView route={route} />
      </main>
      <Dialogs />
    </div>
  );
}

/** RouteView shows the view a route names, once its registry is known. */
function RouteView({ route }: { route: Route }) {
  const registry = registryOf(route);
  const entry = useAppStore((s) => (registry ? s.entries.find((e) => e.id === registry) : undefined));
  const loaded = useAppStore((s) => s.entries.length > 0);
  const listError = useAppStore((s) => s.errors.list);

  if (route.name === 'home') return <Loading />;
  if (route.name === 'push') return <PushView />;
  if (!entry) {
    if (!loaded && !listError) return <Loading label="Loading registries…" />;
    return (
      <section className="view view-scroll" aria-label="Unknown registry">
        <EmptyState title={`${registry} is not in your registries`}>
          <p>Add it with “Add” in the sidebar to browse it, or go back to a registry you have.</p>
          <a href={href({ name: 'repositories', registry: 'local' })}>Open the local OCI layout</a>
        </EmptyState>
      </section>
    );
  }
  switch (route.name) {
    case 'repositories':
      return <RepositoriesView key={entry.id} entry={entry} />;
    case 'tags':
      return <TagsPage key={`${entry.id}/${route.repository}`} entry={entry} repository={route.repository} />;
    case 'manifest':
      return (
        <div className="view view-scroll">
          <ManifestView
            key={href(route)}
            registry={entry.id}
            repository={route.repository}
            {...(route.tag ? { tag: route.tag } : {})}
            {...(route.digest ? { digest: route.digest } : {})}
          />
        </div>
      );
    case 'blob':
      return (
        <div className="view view-scroll">
          <BlobView key={href(route)} registry={entry.id} repository={route.repository} digest={route.digest} />
        </div>
      );
  }
}
