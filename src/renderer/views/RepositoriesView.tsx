import { useDeferredValue, useId, useMemo, useState, type FormEvent } from 'react';
import { repositoryNameSchema, type RegistryEntry } from '../../shared/contract';
import { orasCommand } from '../../shared/oras-command';
import { CommandLine } from '../components/CommandLine';
import { EmptyState, ErrorBox, Loading, visible } from '../components/kit';
import { connectionOf } from '../components/RegistryDetails';
import { href } from '../routes/routes';
import { navigate } from '../routes/use-route';
import { useAppStore } from '../store/react';
import './browse.css';
import { buildNamespaceTree } from './repositories/namespace-tree';
import { NamespaceTree } from './repositories/NamespaceTree';
import { PushHereButton } from './push/PushHereButton';
import { useCatalog } from './repositories/use-catalog';

const NO_NAMES: string[] = [];

/**
 * RepositoriesView is `#/r/<registry>`: the registry's facts, its catalog as a tree of
 * namespaces with a filter, the repositories bookmarked and opened lately, and the
 * `oras repo ls` line. A registry without a catalog (Docker Hub, GHCR) says so and
 * offers "Open repository…" by name instead.
 */
export function RepositoriesView({ entry }: { entry: RegistryEntry }) {
  const registry = entry.id;
  const catalog = useCatalog(registry);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const tree = useMemo(() => buildNamespaceTree(catalog.repositories, deferredFilter), [catalog.repositories, deferredFilter]);
  const bookmarks = useAppStore((s) => s.bookmarks[registry] ?? NO_NAMES);
  const recents = useAppStore((s) => s.recents[registry] ?? NO_NAMES);
  const filterId = useId();

  const listed = catalog.catalog === 'listed';
  const count = catalog.repositories.length;

  return (
    <section className="view view-scroll repositories-view" aria-labelledby="view-heading">
      <header className="view-header">
        <h2 id="view-heading" className="view-title" title={entry.label}>
          {visible(entry.label)}
        </h2>
        <p className="view-facts muted">{factsOf(entry)}</p>
        <PushHereButton registry={registry} label="Push to this registry…" />
      </header>

      {(bookmarks.length > 0 || recents.length > 0) && (
        <div className="repo-shortcuts">
          {bookmarks.length > 0 && <RepositoryLinks registry={registry} title="Bookmarks" names={bookmarks} />}
          {recents.length > 0 && <RepositoryLinks registry={registry} title="Recently opened" names={recents} />}
        </div>
      )}

      <h3 className="section-title">Repositories{listed && count > 0 ? ` (${count.toLocaleString()}${catalog.more ? '+' : ''})` : ''}</h3>

      {catalog.error ? (
        <ErrorBox error={catalog.error} onRetry={catalog.retry} />
      ) : catalog.catalog === 'unavailable' ? (
        <>
          <p className="catalog-unavailable">{sentence(catalog.message ?? `${entry.label} does not list its repositories: open one by name`)}</p>
          <OpenRepositoryForm registry={registry} />
        </>
      ) : catalog.loading && count === 0 ? (
        <Loading label="Reading the catalog…" />
      ) : count === 0 ? (
        <EmptyState title="No repositories yet: push one">
          <p>
            {entry.kind === 'local'
              ? 'Push to the local OCI layout (oras push --oci-layout …), or open a repository by name.'
              : 'Push an artifact to this registry, or open a repository by name.'}
          </p>
          <OpenRepositoryForm registry={registry} />
        </EmptyState>
      ) : (
        <>
          <div className="filter-row">
            <label htmlFor={filterId} className="visually-hidden">
              Filter repositories
            </label>
            <input
              id={filterId}
              type="search"
              className="filter-input control"
              placeholder="Filter repositories"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              spellCheck={false}
            />
            {catalog.more && (
              <button type="button" className="button button-small" onClick={catalog.loadMore} aria-disabled={catalog.loading || undefined}>
                {catalog.loading ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
          {tree.length === 0 ? (
            <p className="muted" role="status">
              No repository matches “{filter}”{catalog.more ? ' among those loaded' : ''}.
            </p>
          ) : (
            <NamespaceTree registry={registry} nodes={tree} filtering={deferredFilter.trim() !== ''} />
          )}
          <details className="open-by-name">
            <summary>Open repository by name…</summary>
            <OpenRepositoryForm registry={registry} />
          </details>
        </>
      )}

      <CommandLine command={orasCommand({ kind: 'repo-ls', registry }, entry)} />
    </section>
  );
}

/** sentence ends a line from main with a full stop when it has none. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** factsOf says in one line how the app reaches a registry and as whom. */
function factsOf(entry: RegistryEntry): string {
  if (entry.kind === 'local') return entry.path ? `On this computer: ${entry.path}` : 'On this computer';
  const who = entry.username ? `Signed in as ${entry.username}` : 'Anonymous';
  return `${who} · ${connectionOf(entry)}`;
}

function RepositoryLinks({ registry, title, names }: { registry: string; title: string; names: string[] }) {
  const id = useId();
  return (
    <nav className="repo-links" aria-labelledby={id}>
      <h3 id={id} className="section-title">
        {title}
      </h3>
      <ul>
        {names.map((name) => (
          <li key={name}>
            <a href={href({ name: 'tags', registry, repository: name })} title={name}>
              {visible(name)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** OpenRepositoryForm opens a repository by its name, checked with the contract's grammar. */
function OpenRepositoryForm({ registry }: { registry: string }) {
  const id = useId();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = repositoryNameSchema.safeParse(name.trim().replace(/^\/+|\/+$/g, ''));
    if (!parsed.success) {
      setProblem(`Not a repository name: ${parsed.error.issues[0]?.message ?? 'check it'}.`);
      return;
    }
    navigate({ name: 'tags', registry, repository: parsed.data });
  };
  return (
    <form className="open-repo" onSubmit={submit} aria-label="Open repository">
      <label htmlFor={`${id}-name`}>Repository</label>
      <input
        id={`${id}-name`}
        className="control"
        value={name}
        placeholder="team/app"
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(undefined);
        }}
      />
      <button type="submit" className="button button-small">
        Open repository
      </button>
      {problem && (
        <p id={`${id}-problem`} className="field-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
