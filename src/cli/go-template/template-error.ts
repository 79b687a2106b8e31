/**
 * TemplateError is a mistake in a `--template` / `--format go-template=…`: where it is
 * (line and column, 1-based) and what is wrong, in Go's words where Go has them.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';

  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`template:${line}:${column}: ${reason}`);
  }
}
