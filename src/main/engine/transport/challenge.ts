/**
 * Challenge is a parsed `WWW-Authenticate` header (RFC 7235), e.g.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"`.
 */
export interface Challenge {
  scheme: 'basic' | 'bearer' | string;
  params: Record<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAM = new RegExp(`^\\s*(${TOKEN})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(${TOKEN}))\\s*(?:,|$)`);

/** parseChallenge reads the first challenge of a header; params' keys are lowercased. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  let rest = match[2] ?? '';
  const params: Record<string, string> = {};
  for (;;) {
    const param = PARAM.exec(rest);
    if (!param) break;
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3]!;
    rest = rest.slice(param[0].length);
  }
  return { scheme, params };
}
