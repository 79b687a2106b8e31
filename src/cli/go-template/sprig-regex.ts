import { arity, int, str, type TemplateFunction } from './args';

/**
 * sprig's regular expressions (`regex.go`) over JavaScript's engine, with Go's RE2
 * spellings translated where they differ: `(?P<name>…)`, leading flags `(?i)`, `(?s)`,
 * `(?m)`, and `$1`/`${name}` in replacements read as Go's `Expand` reads them (`$1x` is
 * the group named `1x`). A pattern JavaScript cannot read is the error Go's would be:
 * `regexMatch` answers false, the others stop the template.
 */

function compile(pattern: string, global = false): RegExp {
  let source = pattern.replace(/\(\?P</g, '(?<');
  let flags = global ? 'g' : '';
  const lead = /^\(\?([ims]+)\)/.exec(source);
  if (lead) {
    flags += [...new Set(lead[1])].join('');
    source = source.slice(lead[0].length);
  }
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (err) {
      throw new Error(`regexp: Compile(${JSON.stringify(pattern)}): error parsing regexp: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  }
}

/** expand is regexp's Expand: `$name`/`${name}` (the longest name of letters, digits and _), `$$` a dollar. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, _all, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
    return match.groups?.[name] ?? '';
  });
}

function replaceAll(pattern: string, text: string, replacement: string, literal: boolean): string {
  const re = compile(pattern, true);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += text.slice(last, m.index) + (literal ? replacement : expand(replacement, m as RegExpExecArray));
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

function findAll(pattern: string, text: string, n: number): string[] {
  if (n === 0) return [];
  const all = [...text.matchAll(compile(pattern, true))].map((m) => m[0]);
  return n < 0 ? all : all.slice(0, n);
}

/** split is Regexp.Split: n < 0 all pieces, 0 none, else at most n. */
function split(pattern: string, text: string, n: number): string[] {
  if (n === 0) return [];
  if (pattern !== '' && text === '') return [''];
  const matches = [...text.matchAll(compile(pattern, true))];
  const pieces: string[] = [];
  let begin = 0;
  let end = 0;
  for (const m of n > 0 ? matches.slice(0, n) : matches) {
    if (n > 0 && pieces.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) pieces.push(text.slice(begin, end));
    begin = m.index + m[0].length;
  }
  if (end !== text.length) pieces.push(text.slice(begin));
  return pieces;
}

const quoteMeta = (text: string): string => text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

const regexFunctions: Record<string, TemplateFunction> = {
  regexMatch: (...args) => {
    arity('regexMatch', args, 2);
    const [pattern, text] = [str(args[0]!), str(args[1]!)];
    try {
      return compile(pattern).test(text);
    } catch {
      return false;
    }
  },
  mustRegexMatch: (...args) => (arity('mustRegexMatch', args, 2), compile(str(args[0]!)).test(str(args[1]!))),
  regexFind: (...args) => (arity('regexFind', args, 2), compile(str(args[0]!)).exec(str(args[1]!))?.[0] ?? ''),
  regexFindAll: (...args) => (arity('regexFindAll', args, 3), findAll(str(args[0]!), str(args[1]!), int(args[2]!))),
  regexReplaceAll: (...args) => (arity('regexReplaceAll', args, 3), replaceAll(str(args[0]!), str(args[1]!), str(args[2]!), false)),
  regexReplaceAllLiteral: (...args) => (arity('regexReplaceAllLiteral', args, 3), replaceAll(str(args[0]!), str(args[1]!), str(args[2]!), true)),
  regexSplit: (...args) => (arity('regexSplit', args, 3), split(str(args[0]!), str(args[1]!), int(args[2]!))),
  regexQuoteMeta: (...args) => (arity('regexQuoteMeta', args, 1), quoteMeta(str(args[0]!))),
};

export const REGEX_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  ...regexFunctions,
  mustRegexFind: regexFunctions.regexFind!,
  mustRegexFindAll: regexFunctions.regexFindAll!,
  mustRegexReplaceAll: regexFunctions.regexReplaceAll!,
  mustRegexReplaceAllLiteral: regexFunctions.regexReplaceAllLiteral!,
  mustRegexSplit: regexFunctions.regexSplit!,
};
