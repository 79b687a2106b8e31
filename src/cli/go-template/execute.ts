import { FUNCTIONS } from './functions';
import { formatValue, GoInt, isMap, NO_VALUE, truth, typeName, type GoValue } from './go-values';
import { methodOf } from './methods';
import { MAIN, type Command, type ControlNode, type Operand, type ParsedTemplate, type Pipeline, type Position, type TemplateNode } from './parse';
import { TemplateError } from './template-error';

/**
 * execute runs a parsed template over `data` (the model, as `fromJson` makes it) and
 * returns the text, as Go's `Template.Execute` writes it. A failure (a field of a
 * string, an index out of range, an unknown function) is a TemplateError at the
 * place it happened.
 */
export function execute(template: ParsedTemplate, data: GoValue, options: { maxSteps?: number; maxDepth?: number } = {}): string {
  const state = new State(data, template, options.maxSteps ?? MAX_STEPS, options.maxDepth ?? MAX_DEPTH);
  try {
    state.walkList(template.root, data);
  } catch (err) {
    // A template deeper than the stack allows, short of MAX_DEPTH, is still a template error.
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new TemplateError('the template called templates too deeply for the stack', 1, 1);
    throw err;
  }
  return state.out;
}

/**
 * MAX_DEPTH: how deep `{{template}}` calls may nest. Go allows 100000 (`maxExecDepth`);
 * JavaScript's stack holds far fewer, and a real recursion (over referrers of
 * referrers) needs tens.
 */
export const MAX_DEPTH = 1000;

/** Loop control leaves the walk of a range's body by exception, as Go's does. */
class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
}

/**
 * MAX_STEPS: the most nodes a template may run, a guard against `{{range 1000000000}}`
 * (Go templates always end, but may take very long). Ample for ranging over a
 * registry's hundreds of thousands of tags.
 */
export const MAX_STEPS = 20_000_000;

class State {
  out = '';
  private steps = 0;
  /** variables, innermost last; `$` is the data */
  private readonly vars: Array<{ name: string; value: GoValue }>;

  private depth = 0;

  constructor(
    data: GoValue,
    private readonly template: ParsedTemplate,
    private readonly maxSteps: number,
    private readonly maxDepth: number,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  walkList(nodes: TemplateNode[], dot: GoValue): void {
    const mark = this.vars.length;
    try {
      for (const node of nodes) this.walk(node, dot);
    } finally {
      this.vars.length = mark;
    }
  }

  private walk(node: TemplateNode, dot: GoValue): void {
    if (++this.steps > this.maxSteps) throw new TemplateError(`the template took more than ${this.maxSteps} steps`, 1, 1);
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const value = this.pipeline(node.pipeline, dot);
        // An action that declares a variable prints nothing.
        if (node.pipeline.variables.length === 0) this.out += formatValue(value);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const value = this.pipeline(node.pipeline, dot);
        try {
          if (truth(value)) this.walkList(node.list, node.kind === 'with' ? value : dot);
          else if (node.elseList) this.walkList(node.elseList, dot);
        } finally {
          this.vars.length = mark;
        }
        return;
      }
      case 'range':
        this.range(node, dot);
        return;
      case 'break':
      case 'continue':
        throw new LoopControl(node.kind);
      case 'template':
        this.callTemplate(node, dot);
    }
  }

  /** callTemplate runs a named template with its own variables: `$` is the new dot, as Go's walkTemplate. */
  private callTemplate(node: TemplateNode & { kind: 'template' }, dot: GoValue): void {
    const body = node.name === MAIN ? this.template.root : this.template.templates.get(node.name);
    if (!body) throw this.fail(node.at, `template ${JSON.stringify(node.name)} not defined`);
    if (this.depth >= this.maxDepth) throw this.fail(node.at, `exceeded maximum template depth (${this.maxDepth})`);
    const value = node.pipeline ? this.pipeline(node.pipeline, dot) : NO_VALUE;
    const outer = this.vars.splice(0);
    this.vars.push({ name: '$', value });
    this.depth++;
    try {
      this.walkList(body, value);
    } finally {
      this.depth--;
      this.vars.splice(0, this.vars.length, ...outer);
    }
  }

  private range(node: ControlNode, dot: GoValue): void {
    const mark = this.vars.length;
    // The pipeline's own variables are the loop's: evaluate without declaring them.
    const value = this.pipeline({ ...node.pipeline, variables: [] }, dot);
    const [first, second] = node.pipeline.variables;
    let entries: Array<[GoValue, GoValue]>;
    if (Array.isArray(value)) entries = value.map((v, i) => [new GoInt(i), v]);
    else if (isMap(value)) entries = Object.keys(value).sort().map((k) => [k, value[k]!]);
    else if (value instanceof GoInt || (typeof value === 'number' && Number.isInteger(value))) {
      const n = value instanceof GoInt ? value.value : value;
      entries = Array.from({ length: Math.max(0, n) }, (_, i) => [new GoInt(i), new GoInt(i)]);
    } else if (value === NO_VALUE || value === null) entries = [];
    else throw this.fail(node.pipeline.at, `range can't iterate over ${formatValue(value)}`);
    try {
      if (entries.length === 0) {
        if (node.elseList) this.walkList(node.elseList, dot);
        return;
      }
      for (const [key, element] of entries) {
        this.vars.length = mark;
        if (second !== undefined) {
          this.setVar(first!, key, node.pipeline.assign, node.pipeline.at);
          this.setVar(second, element, node.pipeline.assign, node.pipeline.at);
        } else if (first !== undefined) {
          this.setVar(first, element, node.pipeline.assign, node.pipeline.at);
        }
        try {
          this.walkList(node.list, element);
        } catch (err) {
          if (!(err instanceof LoopControl)) throw err;
          if (err.kind === 'break') break;
        }
      }
    } finally {
      this.vars.length = mark;
    }
  }

  private setVar(name: string, value: GoValue, assign: boolean, at: Position): void {
    if (!assign) {
      this.vars.push({ name, value });
      return;
    }
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    throw this.fail(at, `undefined variable: ${name}`);
  }

  private variable(name: string, at: Position): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw this.fail(at, `undefined variable: ${name}`);
  }

  pipeline(pipeline: Pipeline, dot: GoValue): GoValue {
    let value: GoValue | undefined;
    for (const command of pipeline.commands) value = this.command(command, dot, value);
    // A nil from the data prints as no value, as in Go (the interface is dug into, leaving nothing).
    const result = value === undefined || value === null ? NO_VALUE : value;
    if (pipeline.variables.length > 0) this.setVar(pipeline.variables[0]!, result, pipeline.assign, pipeline.at);
    return result;
  }

  /** command runs one command; `final` is the previous command's value in a pipeline, passed last. */
  private command(command: Command, dot: GoValue, final: GoValue | undefined): GoValue {
    const [head, ...rest] = command.operands;
    if (head === undefined) throw this.fail(command.at, 'empty command');
    if (head.kind === 'function') return this.call(head.name, rest, dot, final, head.at);
    if (rest.length > 0 || final !== undefined) {
      // `.x.Method arg` / `$v.Method arg` / `(pipeline).Method arg`: a method of a Go value, given arguments.
      const method = this.methodCall(head, dot);
      if (method) {
        const values = rest.map((a) => this.argument(a, dot));
        if (final !== undefined) values.push(final);
        return this.invoke(method.name, () => method.fn(values), head.at);
      }
      const what = head.kind === 'field' ? `.${head.names.at(-1)}` : head.kind === 'variable' ? head.name : formatValue(this.operand(head, dot));
      throw this.fail(head.at, `can't give argument to non-function ${what}`);
    }
    return this.operand(head, dot);
  }

  private call(name: string, args: Operand[], dot: GoValue, final: GoValue | undefined, at: Position): GoValue {
    // and/or stop at the first argument that decides, returning it (Go 1.18).
    if (name === 'and' || name === 'or') {
      const all: Array<() => GoValue> = args.map((a) => () => this.operand(a, dot));
      if (final !== undefined) all.push(() => final);
      if (all.length === 0) throw this.fail(at, `wrong number of args for ${name}: want at least 1 got 0`);
      let value: GoValue = NO_VALUE;
      for (const next of all) {
        value = next();
        if (truth(value) === (name === 'or')) return value;
      }
      return value;
    }
    const fn = FUNCTIONS[name];
    if (!fn || !Object.hasOwn(FUNCTIONS, name)) throw this.fail(at, `function ${JSON.stringify(name)} not defined`);
    const values = args.map((a) => this.argument(a, dot));
    if (final !== undefined) values.push(final);
    return this.invoke(name, () => fn(...values), at);
  }

  /** argument is an operand given to a function: there `nil` is a value (a nil slice, map or pointer), as in Go. */
  private argument(operand: Operand, dot: GoValue): GoValue {
    return operand.kind === 'nil' ? null : this.operand(operand, dot);
  }

  /** methodCall finds the method a chain ends in (`$v.Compare`), evaluating the chain before it; undefined for anything else. */
  private methodCall(head: Operand, dot: GoValue): { name: string; fn: (args: GoValue[]) => GoValue } | undefined {
    if (head.kind !== 'field' && head.kind !== 'variable' && head.kind !== 'pipeline') return undefined;
    const name = head.names.at(-1);
    if (name === undefined) return undefined;
    const receiver = this.operand({ ...head, names: head.names.slice(0, -1) } as Operand, dot);
    const fn = methodOf(receiver, name);
    return fn ? { name, fn } : undefined;
  }

  /** invoke runs a function or method, turning its failure into a TemplateError at the call, as Go's "error calling X". */
  private invoke(name: string, run: () => GoValue, at: Position): GoValue {
    try {
      return run();
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      throw this.fail(at, `error calling ${name}: ${(err as Error).message.replace(/^error calling \w+: /, '')}`);
    }
  }

  private operand(operand: Operand, dot: GoValue): GoValue {
    switch (operand.kind) {
      case 'dot':
        return dot;
      case 'field':
        return this.fields(dot, operand.names, operand.at);
      case 'variable':
        return this.fields(this.variable(operand.name, operand.at), operand.names, operand.at);
      case 'pipeline':
        return this.fields(this.pipeline(operand.pipeline, dot), operand.names, operand.at);
      case 'string':
        return operand.value;
      case 'number':
        // A whole float literal (2.0) is a float64 that an int parameter still takes, as Go's constants are.
        return operand.integer ? new GoInt(operand.value) : Number.isInteger(operand.value) ? new GoInt(operand.value, 'float64') : operand.value;
      case 'bool':
        return operand.value;
      case 'nil':
        throw this.fail(operand.at, 'nil is not a command');
      case 'function':
        return this.call(operand.name, [], dot, undefined, operand.at);
    }
  }

  /** fields follows `.a.b` from `value`: map keys (a missing one is no value); anything else is an error, as in Go. */
  private fields(value: GoValue, names: string[], at: Position): GoValue {
    let current = value;
    for (const name of names) {
      const method = methodOf(current, name);
      if (method) {
        current = this.invoke(name, () => method([]), at);
      } else if (isMap(current)) {
        current = Object.hasOwn(current, name) ? current[name]! : NO_VALUE;
      } else if (current === NO_VALUE || current === null) {
        throw this.fail(at, `nil pointer evaluating interface {}.${name}`);
      } else {
        throw this.fail(at, `can't evaluate field ${name} in type ${typeName(current)}`);
      }
    }
    return current;
  }

  private fail(at: Position, message: string): TemplateError {
    return new TemplateError(message, at.line, at.column);
  }
}
