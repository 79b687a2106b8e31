import { describe, expect, it } from 'vitest';
import { checkEntryName, checkRequestedName, safeFileName } from './safe-name';

describe('safeFileName', () => {
  it('keeps a plain name', () => {
    expect(safeFileName('rocket.txt', 'x')).toBe('rocket.txt');
    expect(safeFileName('Grüße 🚀.md', 'x')).toBe('Grüße 🚀.md');
  });

  it('turns separators and control characters into _ and drops leading dots', () => {
    expect(safeFileName('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(safeFileName('a\\b\0c\nd', 'x')).toBe('a_b_c_d');
    expect(safeFileName('..', 'fallback')).toBe('fallback');
    expect(safeFileName('.bashrc', 'x')).toBe('bashrc');
    expect(safeFileName('C:evil', 'x')).toBe('C_evil');
  });

  it('cuts a name to 255 bytes without splitting a character', () => {
    const cut = safeFileName('é'.repeat(200), 'x');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(255);
    expect(cut).toBe('é'.repeat(127));
  });
});

describe('checkRequestedName', () => {
  it('makes paths, control characters, . and .. plain file names', () => {
    expect(checkRequestedName('rocket.txt')).toBe('rocket.txt');
    expect(checkRequestedName('docs/readme.md')).toBe('docs_readme.md');
    expect(checkRequestedName('../../.bashrc')).toBe('_.._.bashrc');
    expect(checkRequestedName('..')).toBe('download');
    expect(checkRequestedName('a\0b\n')).toBe('a_b_');
  });
});

describe('checkEntryName', () => {
  it('keeps relative names and refuses escapes', () => {
    expect(checkEntryName('docs/readme.md')).toBe('docs/readme.md');
    expect(checkEntryName('docs\\readme.md')).toBe('docs/readme.md');
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'C:\\x', 'a\0b', 'a//b', 'dir/']) {
      expect(() => checkEntryName(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
