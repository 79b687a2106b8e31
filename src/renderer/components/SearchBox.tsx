import { useId, useState, type FormEvent } from 'react';
import { navigate } from '../routes/use-route';
import { routeOfReference } from '../routes/routes';

/**
 * SearchBox opens any reference typed or pasted: `host/repo:tag`, `host/repo@sha256:…`,
 * a link to a view, or a repository of the current registry. What it cannot read it
 * says under the box instead of going nowhere.
 */
export function SearchBox({ currentRegistry }: { currentRegistry?: string | undefined }) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const route = routeOfReference(text, currentRegistry);
    if (!route) {
      setProblem('Type a reference such as registry.example.com/team/app:v1, or a repository name.');
      return;
    }
    setProblem(undefined);
    setText('');
    navigate(route);
  };
  return (
    <form className="search-box" role="search" onSubmit={submit}>
      <label htmlFor={`${id}-q`} className="visually-hidden">
        Open a reference
      </label>
      <input
        id={`${id}-q`}
        className="control"
        type="search"
        value={text}
        placeholder="Open a reference…"
        title="Type or paste host/repository:tag, host/repository@digest, a link, or a repository name"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setProblem(undefined);
        }}
      />
      <button type="submit" className="button button-small">
        Open
      </button>
      {problem && (
        <p id={`${id}-problem`} className="field-error search-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
