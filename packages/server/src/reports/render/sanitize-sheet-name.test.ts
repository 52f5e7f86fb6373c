import { describe, expect, it } from 'vitest';
import { createSheetNamer } from './sanitize-sheet-name.ts';

describe('createSheetNamer', () => {
  it('makes names Excel accepts', () => {
    const name = createSheetNamer(['Summary']);
    expect(name('a/b\\c?d*e[f]g:h', 'x')).toBe('a b c d e f g h');
    expect(name("'quoted'", 'x')).toBe('quoted');
    expect(name('History', 'x')).toBe('History 1');
    expect(name(' /?* ', 'Details 4')).toBe('Details 4');
    expect(name('summary', 'x')).toBe('summary (2)');
    expect(name('SUMMARY', 'x')).toBe('SUMMARY (3)');
  });

  it('cuts at 31 UTF-16 units without splitting a character', () => {
    const name = createSheetNamer();
    const emoji = `${'a'.repeat(30)}😀`;
    expect(name(emoji, 'x')).toBe('a'.repeat(30));
    expect(name('b'.repeat(40), 'x')).toBe('b'.repeat(31));
    expect(name('b'.repeat(40), 'x')).toBe(`${'b'.repeat(27)} (2)`);
  });
});
