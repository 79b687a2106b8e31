import { describe, expect, it } from 'vitest';
import { emptyForm, formFor, requestOf, validateForm } from './registry-form';

describe('registry form', () => {
  it('builds the request, leaving out what is not set', () => {
    expect(requestOf({ ...emptyForm(), registry: ' r.example:5000 ', username: ' alice ', secret: ' pw ' })).toEqual({
      registry: 'r.example:5000',
      username: 'alice',
      secret: ' pw ',
      options: {},
    });
    expect(requestOf({ ...emptyForm(), registry: 'h', plainHttp: true, insecure: true, caFile: ' /ca.pem ' }).options).toEqual({
      plainHttp: true,
      insecure: true,
      caFile: '/ca.pem',
    });
  });

  it('fills an edit form from an entry without any secret', () => {
    const form = formFor({ id: 'r.example', kind: 'remote', label: 'r.example', username: 'bob', options: { insecure: true } });
    expect(form).toEqual({ ...emptyForm(), registry: 'r.example', username: 'bob', insecure: true });
  });

  it('passes a full login and an anonymous registry', () => {
    expect(validateForm({ ...emptyForm(), registry: 'localhost:5000', username: 'a', secret: 'b' })).toEqual({});
    expect(validateForm({ ...emptyForm(), registry: 'ghcr.io' })).toEqual({});
  });

  it('names the field at fault, in the form’s words', () => {
    expect(validateForm(emptyForm())).toEqual({
      registry: 'Enter the registry’s host, such as registry.example.com or localhost:5000.',
    });
    expect(validateForm({ ...emptyForm(), registry: 'https://r.example' }).registry).toBe(
      'Leave out http:// or https://: give host[:port].',
    );
    expect(validateForm({ ...emptyForm(), registry: 'r.example/ns' }).registry).toMatch(/without spaces or "\/"/);
    expect(validateForm({ ...emptyForm(), registry: 'r', secret: 'pw' })).toEqual({ username: 'A password needs a user name.' });
    expect(validateForm({ ...emptyForm(), registry: 'r', username: 'alice' })).toEqual({
      secret: 'Enter the password or token for this user.',
    });
  });

  it('lets an edit keep the saved login when the user name stays', () => {
    const saved = { id: 'r', kind: 'remote' as const, label: 'r', username: 'alice', options: {} };
    const form = formFor(saved);
    expect(validateForm(form, saved)).toEqual({});
    expect(validateForm({ ...form, username: 'bob' }, saved)).toEqual({ secret: 'Enter the password or token for this user.' });
    expect(validateForm({ ...form, username: 'bob', secret: 'pw' }, saved)).toEqual({});
    const anonymous = { id: 'r', kind: 'remote' as const, label: 'r', options: {} };
    expect(validateForm({ ...formFor(anonymous), username: 'alice' }, anonymous)).toHaveProperty('secret');
  });
});
