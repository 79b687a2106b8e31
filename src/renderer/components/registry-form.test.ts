import { describe, expect, it } from 'vitest';
import { emptyForm, formFor, plainHttpShown, requestOf, validateForm } from './registry-form';

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

  it('shows Plain HTTP ticked for loopback hosts, as main speaks it there, and saves what it saved before', () => {
    const form = (registry: string, plainHttp?: boolean) => ({ ...emptyForm(), registry, plainHttp });
    for (const host of ['localhost:5000', ' 127.0.0.1:5000 ', '[::1]:5000', 'registry.localhost']) {
      expect(plainHttpShown(form(host)), host).toBe(true);
      // Untouched: nothing sent, main's default (plain HTTP) applies, as before.
      expect(requestOf(form(host)).options, host).toEqual({});
      // Unticked: HTTPS on this computer, said explicitly.
      expect(plainHttpShown(form(host, false)), host).toBe(false);
      expect(requestOf(form(host, false)).options, host).toEqual({ plainHttp: false });
      expect(requestOf(form(host, true)).options, host).toEqual({ plainHttp: true });
    }
    for (const host of ['registry.example', '10.0.0.5:5000', 'localhost.example.com']) {
      expect(plainHttpShown(form(host)), host).toBe(false);
      expect(requestOf(form(host)).options, host).toEqual({});
      expect(requestOf(form(host, false)).options, host).toEqual({});
      expect(requestOf(form(host, true)).options, host).toEqual({ plainHttp: true });
    }
    // A saved loopback registry with no option opens ticked; one saved as HTTPS opens unticked.
    const saved = { id: 'localhost:5000', kind: 'remote' as const, label: 'localhost:5000', options: {} };
    expect(plainHttpShown(formFor(saved))).toBe(true);
    expect(requestOf(formFor(saved)).options).toEqual({});
    expect(plainHttpShown(formFor({ ...saved, options: { plainHttp: false } }))).toBe(false);
    expect(requestOf(formFor({ ...saved, options: { plainHttp: false } })).options).toEqual({ plainHttp: false });
  });
});
