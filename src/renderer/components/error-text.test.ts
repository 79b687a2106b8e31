import { describe, expect, it } from 'vitest';
import { errorText } from './error-text';

describe('errorText', () => {
  it('titles an error by its code and keeps main’s message', () => {
    expect(errorText({ code: 'UNAUTHORIZED', message: '127.0.0.1:5000: 401 Unauthorized' })).toEqual({
      title: 'Login refused',
      detail: '127.0.0.1:5000: 401 Unauthorized.',
      hint: 'Check the user name and the password or token.',
    });
  });

  it('falls back to a plain title with no hint', () => {
    expect(errorText({ code: 'INTERNAL', message: 'boom' })).toEqual({ title: 'Something went wrong', detail: 'Boom.' });
  });

  it('keeps a host at the start of a message as written', () => {
    expect(errorText({ code: 'NETWORK', message: 'localhost:5000 did not answer within 10 s: check the host and port' }).detail).toBe(
      'localhost:5000 did not answer within 10 s: check the host and port.',
    );
    expect(errorText({ code: 'NETWORK', message: 'registry.example: refused' }).detail).toBe('registry.example: refused.');
    expect(errorText({ code: 'INTERNAL', message: 'login failed: no' }).detail).toBe('Login failed: no.');
    expect(errorText({ code: 'INTERNAL', message: 'settings.json is damaged' }).detail).toBe('settings.json is damaged.');
  });
});
