import { execute } from './execute';
import { fromJson } from './go-values';
import { parseTemplate, type ParsedTemplate } from './parse';

export { TemplateError } from './template-error';

/**
 * GoTemplate is a parsed `--template`: Go's text/template
 * (https://pkg.go.dev/text/template) with sprig's functions (see functions.ts), as
 * ORAS 1.3 runs it (`cmd/oras/internal/output/template.go`) over a command's model,
 * the same keys as `--format json`. Parsed before the command does anything, so a
 * mistake costs no transfer; run once at the end, writing no newline of its own.
 */
export class GoTemplate {
  private constructor(private readonly parsed: ParsedTemplate) {}

  /** parse parses a template; a mistake is a TemplateError with line and column. */
  static parse(source: string): GoTemplate {
    return new GoTemplate(parseTemplate(source));
  }

  /** render runs the template over a model (anything JSON can hold: keys as `--format json` prints them). */
  render(model: unknown): string {
    return execute(this.parsed, fromJson(model));
  }
}
