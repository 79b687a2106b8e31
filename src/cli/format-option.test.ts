import { describe, expect, it } from 'vitest';
import { UsageError } from './errors';
import { resolveFormat } from './options';

/** --format and --template as ORAS's Format.Parse reads them (option/format.go). */
describe('--format go-template and --template', () => {
  it('splits go-template=TEMPLATE, and takes --template with --format go-template', () => {
    expect(resolveFormat({ format: 'go-template={{.digest}}' })).toMatchObject({ format: 'go-template', template: '{{.digest}}' });
    expect(resolveFormat({ format: 'go-template', template: '{{.digest}}' })).toMatchObject({ format: 'go-template', template: '{{.digest}}' });
    expect(resolveFormat({ format: 'go-template', template: '{{.digest}}' }).goTemplate!.render({ digest: 'sha256:x' })).toBe('sha256:x');
    expect(resolveFormat({ format: 'json' })).toEqual({ format: 'json' });
  });

  it('refuses a template without go-template, go-template without a template, and a bad template, as usage errors', () => {
    expect(() => resolveFormat({ format: 'json', template: '{{.digest}}' })).toThrow(new UsageError('--template must be used with --format go-template'));
    expect(() => resolveFormat({ format: 'go-template' })).toThrow(/"go-template" format specified but no template given: use --format go-template=TEMPLATE/);
    expect(() => resolveFormat({ format: 'go-template=' })).toThrow(/no template given/);
    expect(() => resolveFormat({ format: 'go-template={{.digest' })).toThrow(UsageError);
    expect(() => resolveFormat({ format: 'go-template={{.digest' })).toThrow('--template: template:1:1: unclosed action');
  });
});
