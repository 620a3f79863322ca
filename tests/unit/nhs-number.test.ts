import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit } from '../../shared/domain/nhs-number';

/** Starts whose weighted sum leaves remainder 1 (worked by hand: 9×10 + 9×9 + 9×8 = 243 = 22×11 + 1). */
const UNUSABLE = ['999000000', '999000014', '999000028'];

describe('NHS number check digit (modulus 11)', () => {
  it.each([
    ['943476591', 9],
    ['999000001', 8],
    ['999999999', 9],
    ['999000005', 0],
    ['000000000', 0],
  ])('%s takes check digit %i', (firstNine, check) => {
    expect(nhsCheckDigit(firstNine)).toBe(check);
  });

  it('has no check digit when the remainder gives 10', () => {
    // Some nine-digit starts leave a remainder of 1, so 11 - 1 = 10: no NHS number begins with them.
    for (const n of UNUSABLE) {
      expect(nhsCheckDigit(n)).toBeNull();
      for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`${n}${d}`)).toBe(false);
    }
  });

  it.each([
    ['9434765919', true],
    ['9434765918', false],
    ['943476591', false],
    ['94347659190', false],
    ['943 476 5919', false],
    ['abcdefghij', false],
  ])('%s valid: %s', (value, valid) => {
    expect(isValidNhsNumber(value)).toBe(valid);
  });

  it('formats 3-3-4 and leaves anything else untouched', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(formatNhsNumber('94347')).toBe('94347');
  });
});
