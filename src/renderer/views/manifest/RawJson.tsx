import { useMemo } from 'react';
import { jsonLines } from './json-tokens';

/**
 * RawJson shows a manifest's JSON pretty and highlighted, each descriptor's digest a
 * link. The text is the parsed manifest re-indented; the exact bytes are what
 * `oras manifest fetch` prints (its digest is the header's).
 */
export function RawJson({ value, registry, repository }: { value: unknown; registry: string; repository: string }) {
  const lines = useMemo(() => jsonLines(value, { registry, repository }), [value, registry, repository]);
  return (
    <pre className="raw-json scroll-box" tabIndex={0} role="region" aria-label="Manifest JSON">
      {lines.map((line, i) => (
        <span className="json-line" key={i}>
          {'  '.repeat(line.depth)}
          {line.tokens.map((token, j) =>
            token.link ? (
              <a key={j} className="json-digest" href={token.link}>
                {token.text}
              </a>
            ) : (
              <span key={j} className={`json-${token.kind}`}>
                {token.text}
              </span>
            ),
          )}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
