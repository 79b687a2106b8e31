import { FUNCTIONS } from './functions';
import { lex, type Token, type TokenKind } from './lexer';
import { TemplateError } from './template-error';

/**
 * The parse tree of the Go text/template subset the CLI's `--template` takes: text,
 * actions (pipelines of commands, with `$x :=` / `$x =`), `if`/`else if`/`else`,
 * `range` (`$i, $e :=`, `else`, `break`, `continue`), `with` (`else with`, `else`),
 * comments, and named templates: `{{define "name"}}…{{end}}` at the top level,
 * `{{template "name" pipeline}}` and `{{block "name" pipeline}}…{{end}}` (a define and
 * its call in one), as Go's parse package reads them.
 */

export interface Position {
  line: number;
  column: number;
}

export type Operand =
  | { kind: 'dot'; at: Position }
  /** `.a.b`: fields of dot */
  | { kind: 'field'; names: string[]; at: Position }
  /** `$x.a`: a variable, then fields */
  | { kind: 'variable'; name: string; names: string[]; at: Position }
  /** a function's name */
  | { kind: 'function'; name: string; at: Position }
  | { kind: 'string'; value: string; at: Position }
  | { kind: 'number'; value: number; integer: boolean; at: Position }
  | { kind: 'bool'; value: boolean; at: Position }
  | { kind: 'nil'; at: Position }
  /** `(pipeline).a.b` */
  | { kind: 'pipeline'; pipeline: Pipeline; names: string[]; at: Position };

export interface Command {
  operands: Operand[];
  at: Position;
}

export interface Pipeline {
  /** variables declared (`:=`) or assigned (`=`) with the pipeline's value */
  variables: string[];
  assign: boolean;
  commands: Command[];
  at: Position;
}

/** ControlNode: `if`, `with` or `range`, with its body and its else branch. */
export interface ControlNode {
  kind: 'if' | 'with' | 'range';
  pipeline: Pipeline;
  list: TemplateNode[];
  elseList?: TemplateNode[];
}

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: Pipeline }
  | ControlNode
  | { kind: 'break' | 'continue'; at: Position }
  /** `{{template "name" pipeline}}`: the named template run with dot the pipeline's value (nil without one) */
  | { kind: 'template'; name: string; pipeline?: Pipeline; at: Position };

/** MAIN: the name ORAS gives the `--template` itself (`template.New("format output")`), which a define may fill. */
export const MAIN = 'format output';

/** ParsedTemplate: the main template's nodes and every template `define` and `block` named. */
export interface ParsedTemplate {
  root: TemplateNode[];
  templates: Map<string, TemplateNode[]>;
}

/** parseTemplate parses a template; any mistake is a TemplateError saying where. */
export function parseTemplate(source: string): ParsedTemplate {
  const parser = new Parser(lex(source));
  const { list, end } = parser.list(0, true);
  if (end !== 'eof') parser.failAt(parser.last, `unexpected {{${end}}}`);
  // As Go's Tree.add: the main template is the define of its name when it has nothing of its own.
  const named = parser.templates.get(MAIN);
  if (named && !isEmptyTree(list)) parser.failAt(parser.last, `template: multiple definition of template ${JSON.stringify(MAIN)}`);
  return { root: named ?? list, templates: parser.templates };
}

/** isEmptyTree is parse.IsEmptyTree: nothing but spaces (and empty structures). */
function isEmptyTree(nodes: TemplateNode[]): boolean {
  return nodes.every((node) => node.kind === 'text' && node.text.trim() === '');
}

type ListEnd = 'eof' | 'end' | 'else';

class Parser {
  private i = 0;
  last: Token;
  /** templates named by define and block, as Go's treeSet */
  readonly templates = new Map<string, TemplateNode[]>();

  constructor(private readonly tokens: Token[]) {
    this.last = tokens[0]!;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    this.last = token;
    return token;
  }

  private expect(kind: TokenKind, context: string): Token {
    const token = this.next();
    if (token.kind !== kind) this.failAt(token, `unexpected ${describe(token)} in ${context}`);
    return token;
  }

  failAt(token: Token | Position, message: string): never {
    throw new TemplateError(message, token.line, token.column);
  }

  /**
   * list parses nodes until `{{end}}`, `{{else…}}` or the end; `loops` counts the
   * ranges around it (break and continue need one); `top` is the template's top level,
   * the only place for `define`. For `else`, the tokens after the keyword are left for
   * the caller (`else if …`).
   */
  list(loops: number, top = false): { list: TemplateNode[]; end: ListEnd; endToken: Token } {
    const list: TemplateNode[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'eof') return { list, end: 'eof', endToken: token };
      if (token.kind === 'text') {
        list.push({ kind: 'text', text: token.value });
        continue;
      }
      // token is '{{'
      const head = this.peek();
      if (head.kind === 'keyword') {
        this.next();
        switch (head.value) {
          case 'end':
            this.expect('right', 'end');
            return { list, end: 'end', endToken: head };
          case 'else':
            return { list, end: 'else', endToken: head };
          case 'if':
          case 'with':
          case 'range':
            list.push(this.control(head.value, head, loops));
            continue;
          case 'break':
          case 'continue':
            if (loops === 0) this.failAt(head, `{{${head.value}}} outside {{range}}`);
            this.expect('right', head.value);
            list.push({ kind: head.value, at: head });
            continue;
          case 'define':
            if (!top) this.failAt(head, 'unexpected {{define}}: templates are defined at the top level, outside any other action');
            this.define(this.templateName('define clause'), head);
            continue;
          case 'template':
            list.push(this.templateCall(head, 'template clause'));
            continue;
          case 'block': {
            // {{block "name" pipeline}}body{{end}} is {{define "name"}}body{{end}}{{template "name" pipeline}}.
            const call = this.templateCall(head, 'block clause');
            this.define(call.name, head, true);
            list.push(call);
            continue;
          }
          default:
            this.failAt(head, `unexpected {{${head.value}}}`);
        }
      }
      list.push({ kind: 'action', pipeline: this.pipeline('command', head) });
    }
  }

  /** templateName reads a define's, template's or block's name: a string constant. */
  private templateName(context: string): string {
    const token = this.next();
    if (token.kind !== 'string') this.failAt(token, `unexpected ${describe(token)} in ${context}`);
    return token.value;
  }

  /** templateCall parses `"name" [pipeline]}}` after `template` or `block`. */
  private templateCall(head: Token, context: string): TemplateNode & { kind: 'template' } {
    const name = this.templateName(context);
    const at = { line: head.line, column: head.column };
    if (this.peek().kind === 'right') {
      if (context === 'block clause') this.failAt(this.peek(), 'missing value for block clause');
      this.next();
      return { kind: 'template', name, at };
    }
    return { kind: 'template', name, pipeline: this.pipeline(context, head), at };
  }

  /**
   * define parses a template's body through its `{{end}}` (after `}}` for define) and
   * keeps it by name: a second non-empty body of one name is an error, an empty one
   * changes nothing, as Go's Tree.add.
   */
  private define(name: string, head: Token, bodyOnly = false): void {
    if (!bodyOnly) this.expect('right', 'define clause');
    const body = this.list(0);
    const context = bodyOnly ? 'block clause' : 'define clause';
    if (body.end === 'eof') this.failAt(head, `unexpected EOF: {{${bodyOnly ? 'block' : 'define'}}} has no {{end}}`);
    if (body.end === 'else') this.failAt(body.endToken, `unexpected {{else}} in ${context}`);
    const existing = this.templates.get(name);
    if (existing && !isEmptyTree(existing) && !isEmptyTree(body.list)) this.failAt(head, `template: multiple definition of template ${JSON.stringify(name)}`);
    if (!existing || isEmptyTree(existing)) this.templates.set(name, body.list);
  }

  /** control parses `if`/`with`/`range` after its keyword, through its `{{end}}`. */
  private control(kind: 'if' | 'with' | 'range', head: Token, loops: number): TemplateNode {
    const pipeline = this.pipeline(kind, head);
    const inner = loops + (kind === 'range' ? 1 : 0);
    const body = this.list(inner);
    if (body.end === 'eof') this.failAt(head, `unexpected EOF: {{${kind}}} has no {{end}}`);
    if (body.end === 'end') return { kind, pipeline, list: body.list };
    // {{else}}, {{else if …}}, {{else with …}}
    const after = this.peek();
    if (after.kind === 'keyword' && (after.value === 'if' || after.value === 'with') && kind !== 'range') {
      this.next();
      // `else if` is an if inside the else branch that shares the outer {{end}}.
      const nested = this.control(after.value, after, loops);
      return { kind, pipeline, list: body.list, elseList: [nested] };
    }
    this.expect('right', 'else');
    const elseBody = this.list(loops);
    if (elseBody.end === 'else') this.failAt(elseBody.endToken, `more than one {{else}} in {{${kind}}}`);
    if (elseBody.end !== 'end') this.failAt(head, `unexpected EOF: {{${kind}}} has no {{end}}`);
    return { kind, pipeline, list: body.list, elseList: elseBody.list };
  }

  /** pipeline parses `[$x[, $y] :=|=] command | command …` up to `}}` (or `)` inside parentheses). */
  private pipeline(context: string, head: Token, closer: 'right' | 'rparen' = 'right'): Pipeline {
    const at = { line: head.line, column: head.column };
    const variables: string[] = [];
    let assign = false;
    // Declarations: $x := …, $x = …, and in range $i, $e := …
    if (this.peek().kind === 'variable') {
      const second = this.peek(1);
      if (second.kind === 'declare' || second.kind === 'assign') {
        variables.push(this.next().value);
        assign = this.next().kind === 'assign';
      } else if (second.kind === 'comma' && context === 'range' && this.peek(2).kind === 'variable' && ['declare', 'assign'].includes(this.peek(3).kind)) {
        variables.push(this.next().value);
        this.next();
        variables.push(this.next().value);
        assign = this.next().kind === 'assign';
      }
    }
    const commands: Command[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === closer) {
        this.next();
        break;
      }
      if (token.kind === 'eof') this.failAt(head, closer === 'right' ? 'unclosed action' : 'unclosed left paren');
      if (token.kind === 'pipe') {
        if (commands.length === 0) this.failAt(token, `missing command before "|" in ${context}`);
        this.next();
        const following = this.peek();
        if (following.kind === closer || following.kind === 'pipe') this.failAt(following, `missing command after "|" in ${context}`);
        continue;
      }
      commands.push(this.command(context, closer));
    }
    if (commands.length === 0) this.failAt(head, `missing value for ${context}`);
    return { variables, assign, commands, at };
  }

  /** command parses operands up to `|` or the closer. */
  private command(context: string, closer: 'right' | 'rparen'): Command {
    const first = this.peek();
    const operands: Operand[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'pipe' || token.kind === closer) break;
      if (token.kind === 'eof' || token.kind === 'right' || token.kind === 'rparen') this.failAt(token, `unexpected ${describe(token)} in operand`);
      if (operands.length > 0 && !token.spaceBefore && token.kind !== 'lparen') this.failAt(token, `missing space before ${describe(token)} in ${context}`);
      operands.push(this.operand(context));
    }
    return { operands, at: { line: first.line, column: first.column } };
  }

  /** operand parses one term and the fields chained onto it (`$x.a`, `(…).b`). */
  private operand(context: string): Operand {
    const token = this.next();
    const at = { line: token.line, column: token.column };
    const chain = (): string[] => {
      const names: string[] = [];
      while (this.peek().kind === 'field' && !this.peek().spaceBefore) names.push(this.next().value);
      return names;
    };
    switch (token.kind) {
      case 'dot':
        if (this.peek().kind === 'field' && !this.peek().spaceBefore) this.failAt(this.peek(), 'unexpected . after term "."');
        return { kind: 'dot', at };
      case 'field':
        return { kind: 'field', names: [token.value, ...chain()], at };
      case 'variable':
        return { kind: 'variable', name: token.value, names: chain(), at };
      case 'identifier':
        // As Go's parser: a name that is no function is a mistake before anything runs.
        if (!isFunction(token.value)) this.failAt(token, `function ${JSON.stringify(token.value)} not defined`);
        // `now.Year`: the function's value, then fields (or methods) of it, as Go's chain node.
        if (this.peek().kind === 'field' && !this.peek().spaceBefore) {
          const call: Pipeline = { variables: [], assign: false, commands: [{ operands: [{ kind: 'function', name: token.value, at }], at }], at };
          return { kind: 'pipeline', pipeline: call, names: chain(), at };
        }
        return { kind: 'function', name: token.value, at };
      case 'string':
        return { kind: 'string', value: token.value, at };
      case 'number':
        return numberOperand(token, at, (message) => this.failAt(token, message));
      case 'bool':
        return { kind: 'bool', value: token.value === 'true', at };
      case 'nil':
        return { kind: 'nil', at };
      case 'lparen': {
        const pipeline = this.pipeline('parenthesized pipeline', token, 'rparen');
        return { kind: 'pipeline', pipeline, names: chain(), at };
      }
      default:
        return this.failAt(token, `unexpected ${describe(token)} in ${context}`);
    }
  }
}

/** isFunction: the executor's `and` and `or`, and every name in FUNCTIONS. */
function isFunction(name: string): boolean {
  return name === 'and' || name === 'or' || Object.hasOwn(FUNCTIONS, name);
}

function numberOperand(token: Token, at: Position, fail: (message: string) => never): Operand {
  const text = token.value.replace(/_/g, '');
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  let value: number;
  let integer = true;
  if (/^0[xX]/.test(body)) value = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) value = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) value = parseInt(body.slice(2), 8);
  else if (/^0[0-7]+$/.test(body)) value = parseInt(body.slice(1), 8);
  else {
    value = Number(body);
    integer = /^\d+$/.test(body);
  }
  if (!Number.isFinite(value)) fail(`bad number syntax: ${token.value}`);
  return { kind: 'number', value: sign * value, integer, at };
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'EOF';
    case 'right':
      return '"}}"';
    case 'string':
      return 'quoted string';
    case 'field':
      return `<.${token.value}>`;
    default:
      return `"${token.value}"`;
  }
}
