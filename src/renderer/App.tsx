/**
 * App is the placeholder shell: a sidebar of targets (the local OCI layout first, the
 * default when no registry is configured) and a main area. The real views land with
 * the app-shell issue.
 */
export function App() {
  const version = window.oras?.version;
  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Targets">
        <h1 className="brand">ORAS Desktop</h1>
        <nav>
          <h2 className="sidebar-heading">Targets</h2>
          <ul className="targets">
            <li className="target target-active" aria-current="true">
              Local OCI layout <span className="badge">default</span>
            </li>
          </ul>
        </nav>
        {version && <p className="version">v{version}</p>}
      </aside>
      <main className="main">
        <h2>Local OCI layout</h2>
        <p>
          The local OCI image layout is the default target, so the app works with no
          registry at all. Registries you log in to will appear in the sidebar.
        </p>
      </main>
    </div>
  );
}
