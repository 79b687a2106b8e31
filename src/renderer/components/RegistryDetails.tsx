import type { LoginLocation, RegistryEntry } from '../../shared/contract';
import { useAppStore } from '../store/react';

const LOCATIONS: Record<LoginLocation, string> = {
  keychain: 'The system keychain',
  'docker-config': 'Docker’s config.json',
  'docker-helper': 'A Docker credential helper',
  file: 'A credentials file',
};

/** isLoopback says whether a host[:port] is this computer, where plain HTTP is the default. */
export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || /^127\./.test(name) || name === '::1';
}

/** connectionOf describes how the app reaches a registry, in words. */
export function connectionOf(entry: RegistryEntry): string {
  const { plainHttp, insecure, caFile } = entry.options;
  if (plainHttp) return 'Plain HTTP, no TLS';
  if (insecure) return 'HTTPS, certificates not checked';
  if (caFile) return `HTTPS, trusting the CA in ${caFile}`;
  // plainHttp: false on this computer is the user's choice of HTTPS (the Add dialog's unticked box).
  return isLoopback(entry.id) && plainHttp !== false ? 'Plain HTTP (the default on this computer)' : 'HTTPS';
}

/** RegistryDetails is the main area for the selected registry: what it is and how it is reached. */
export function RegistryDetails() {
  const entry = useAppStore((s) => s.entries.find((e) => e.id === s.selectedId));
  const loading = useAppStore((s) => s.loading);
  if (!entry) {
    return <section className="details" aria-busy={loading} aria-label="Registry" />;
  }
  return (
    <section className="details" aria-labelledby="details-heading">
      <h2 id="details-heading">{entry.label}</h2>
      {entry.kind === 'local' ? (
        <>
          <p className="lead">
            The local OCI image layout is the default target: push to it and pull from it with no registry at all.
          </p>
          {entry.path && (
            <dl className="facts">
              <dt>Folder</dt>
              <dd>
                <code>{entry.path}</code>
              </dd>
            </dl>
          )}
        </>
      ) : (
        <dl className="facts">
          <dt>Login</dt>
          <dd>{entry.username ? `Signed in as ${entry.username}` : 'Anonymous (no saved login)'}</dd>
          {entry.location && (
            <>
              <dt>Saved in</dt>
              <dd>{LOCATIONS[entry.location]}</dd>
            </>
          )}
          <dt>Connection</dt>
          <dd>{connectionOf(entry)}</dd>
        </dl>
      )}
    </section>
  );
}
