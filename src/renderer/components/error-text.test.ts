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
});
