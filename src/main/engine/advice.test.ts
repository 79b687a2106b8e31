import { describe, expect, it } from 'vitest';
import { advice, rewriteAdvice, type AdviceKind } from './advice';

const KINDS: AdviceKind[] = ['loginFirst', 'loginAgain', 'trustCa', 'httpsNotPlain', 'clientCertificate', 'credentialsFile', 'fileOrHelper', 'removeLogin'];
/** The kinds whose words name the registry. */
const NAMING: AdviceKind[] = ['loginFirst', 'loginAgain', 'removeLogin'];
const tagged = Object.fromEntries(KINDS.map((kind) => [kind, (host: string) => `<${kind} ${host}>`])) as Record<AdviceKind, (host: string) => string>;

describe('advice', () => {
  it('names the registry where the advice has one', () => {
    expect(advice('loginFirst', 'localhost:5000')).toBe('run `oras login localhost:5000` first, or pass -u and -p');
    expect(advice('loginAgain', 'r.example.com')).toContain('`oras login r.example.com` again');
    expect(advice('trustCa', 'r.example.com')).toContain('--ca-file');
  });
});

describe('rewriteAdvice', () => {
  it.each(KINDS)('finds %s inside a message, with the host it names', (kind) => {
    const message = `GET https://h:1/v2/: something failed: ${advice(kind, 'h:1')}; and more`;
    const expected = NAMING.includes(kind) ? `<${kind} h:1>` : `<${kind} >`;
    expect(rewriteAdvice(message, tagged)).toBe(`GET https://h:1/v2/: something failed: ${expected}; and more`);
  });

  it('rewrites every piece of advice, however many', () => {
    const message = `a: ${advice('loginFirst', 'a:1')}; b: ${advice('loginFirst', 'b.example.com')}`;
    expect(rewriteAdvice(message, tagged)).toBe('a: <loginFirst a:1>; b: <loginFirst b.example.com>');
  });

  it('leaves a message without advice as it is, regular-expression characters and all', () => {
    const message = 'manifest h/r@sha256:ab (x*) not found [$1]';
    expect(rewriteAdvice(message, tagged)).toBe(message);
  });
});
