/** NHS numbers: ten digits, the last a modulus-11 check digit over the first nine. */

/** The check digit for nine leading digits, or null when no valid NHS number starts with them. */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

export function isValidNhsNumber(value: string): boolean {
  return /^\d{10}$/.test(value) && nhsCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

/** 3-3-4 grouping, as printed on NHS correspondence; anything else is shown untouched. */
export function formatNhsNumber(value: string): string {
  return /^\d{10}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value;
}

/** Synthetic numbers come only from the 999 range, which the NHS never issues to patients. */
export const NHS_TEST_RANGE_PREFIX = '999';
