import { posix } from 'node:path';
import { arity, bool, deepEqual, empty, kindOf, str, type TemplateFunction } from './args';
import { parseVersion, semverCompare } from './go-semver';
import { fromJson, toJsonText, typeName, type GoValue } from './go-values';

/**
 * sprig's defaults and flow (`defaults.go`: `default`, `empty`, `coalesce`, `all`,
 * `any`, `ternary`, JSON both ways, `fail`), `semver`/`semverCompare`, reflection (`typeOf`, `kindOf`, …), paths
 * (`path` and, on Linux and macOS the same, `filepath`) and the environment (`env`,
 * `expandenv`: the user's own, printed where they asked).
 */

/** clean is path.Clean: "." for nothing, no trailing slash but on "/". */
function clean(p: string): string {
  if (p === '') return '.';
  const out = posix.normalize(p);
  return out.length > 1 ? out.replace(/\/+$/, '') : out;
}

function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** expandEnv is os.ExpandEnv: `$NAME` and `${NAME}` from the environment, unset ones empty. */
function expandEnv(text: string): string {
  return text.replace(/\$(?:\{([^}]*)\}|([*#$@!?\-0-9])|([A-Za-z0-9_]+))/g, (_whole, braced?: string, special?: string, name?: string) => process.env[braced ?? special ?? name!] ?? '');
}

/** goTypeOf is `%T`: the Go type of a value, `<nil>` for nil. */
function goTypeOf(value: GoValue): string {
  return kindOf(value) === 'invalid' ? '<nil>' : typeName(value);
}

const path = (name: string, fn: (p: string) => GoValue): TemplateFunction => (...args) => (arity(name, args, 1), fn(str(args[0]!)));

export const MISC_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  default: (...args) => (arity('default', args, 1, Infinity), args.length < 2 || empty(args[1]!) ? args[0]! : args[1]!),
  empty: (...args) => (arity('empty', args, 1), empty(args[0]!)),
  coalesce: (...args) => args.find((v) => !empty(v)) ?? null,
  all: (...args) => args.every((v) => !empty(v)),
  any: (...args) => args.some((v) => !empty(v)),
  ternary: (...args) => (arity('ternary', args, 3), bool(args[2]!) ? args[0]! : args[1]!),
  fromJson: (...args) => {
    arity('fromJson', args, 1);
    try {
      return fromJson(JSON.parse(str(args[0]!)));
    } catch {
      return null;
    }
  },
  mustFromJson: (...args) => {
    arity('mustFromJson', args, 1);
    try {
      return fromJson(JSON.parse(str(args[0]!)));
    } catch (err) {
      throw new Error((err as Error).message);
    }
  },
  toJson: (...args) => (arity('toJson', args, 1), toJsonText(args[0]!)),
  mustToJson: (...args) => (arity('mustToJson', args, 1), toJsonText(args[0]!)),
  // Docker's name for toJson, kept for scripts written for `docker … --format`.
  json: (...args) => (arity('json', args, 1), toJsonText(args[0]!)),
  toRawJson: (...args) => (arity('toRawJson', args, 1), toJsonText(args[0]!, { raw: true })),
  mustToRawJson: (...args) => (arity('mustToRawJson', args, 1), toJsonText(args[0]!, { raw: true })),
  toPrettyJson: (...args) => (arity('toPrettyJson', args, 1), toJsonText(args[0]!, { indent: '  ' })),
  mustToPrettyJson: (...args) => (arity('mustToPrettyJson', args, 1), toJsonText(args[0]!, { indent: '  ' })),
  fail: (...args) => {
    arity('fail', args, 1);
    throw new Error(str(args[0]!));
  },
  typeOf: (...args) => (arity('typeOf', args, 1), goTypeOf(args[0]!)),
  typeIs: (...args) => (arity('typeIs', args, 2), str(args[0]!) === goTypeOf(args[1]!)),
  typeIsLike: (...args) => (arity('typeIsLike', args, 2), [goTypeOf(args[1]!), `*${goTypeOf(args[1]!)}`].includes(str(args[0]!))),
  kindOf: (...args) => (arity('kindOf', args, 1), kindOf(args[0]!)),
  kindIs: (...args) => (arity('kindIs', args, 2), str(args[0]!) === kindOf(args[1]!)),
  deepEqual: (...args) => (arity('deepEqual', args, 2), deepEqual(args[0]!, args[1]!)),
  semver: (...args) => (arity('semver', args, 1), parseVersion(str(args[0]!))),
  semverCompare: (...args) => (arity('semverCompare', args, 2), semverCompare(str(args[0]!), str(args[1]!))),
  env: (...args) => (arity('env', args, 1), process.env[str(args[0]!)] ?? ''),
  expandenv: (...args) => (arity('expandenv', args, 1), expandEnv(str(args[0]!))),
  base: path('base', base),
  dir: path('dir', dir),
  clean: path('clean', clean),
  ext: path('ext', ext),
  isAbs: path('isAbs', (p) => p.startsWith('/')),
  osBase: path('osBase', base),
  osDir: path('osDir', dir),
  osClean: path('osClean', clean),
  osExt: path('osExt', ext),
  osIsAbs: path('osIsAbs', (p) => p.startsWith('/')),
};
