import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  ageOn,
  dueState,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  isWorkingDay,
  londonDate,
  reviewDueDate,
  BANK_HOLIDAYS_KNOWN_UNTIL_YEAR,
  holidayListWarning,
} from '../../shared/clock/working-days';

describe('review due date: two working days after the day of receipt', () => {
  it.each([
    // received (instant)           due          why
    ['2026-11-23T10:00:00Z', '2026-11-25', 'Monday -> Wednesday'],
    ['2026-11-26T16:59:00Z', '2026-11-30', 'Thursday -> Monday over a weekend'],
    ['2026-11-27T09:00:00Z', '2026-12-01', 'Friday -> Tuesday'],
    ['2026-11-28T12:00:00Z', '2026-12-01', 'Saturday counts from Monday'],
    ['2026-11-29T12:00:00Z', '2026-12-01', 'Sunday counts from Monday'],
    ['2026-12-23T11:00:00Z', '2026-12-29', 'Christmas 2026: 25th Friday, Boxing Day substitute Monday 28th'],
    ['2026-12-24T11:00:00Z', '2026-12-30', 'Christmas Eve -> Tue 29, Wed 30'],
    ['2027-12-23T11:00:00Z', '2027-12-29', 'Christmas 2027 falls on a weekend: Fri 24th, then substitutes 27th and 28th, then Wed 29th'],
    ['2027-03-25T11:00:00Z', '2027-03-31', 'Easter 2027: Good Friday 26 March and Easter Monday 29 March'],
    ['2026-04-02T11:00:00Z', '2026-04-08', 'Easter 2026: Good Friday 3 April and Easter Monday 6 April'],
    ['2027-04-30T11:00:00Z', '2027-05-05', 'Early May bank holiday 2027 (Monday 3 May)'],
    ['2026-08-28T11:00:00Z', '2026-09-02', 'Summer bank holiday 2026 (Monday 31 August)'],
    ['2026-12-31T23:30:00Z', '2027-01-05', 'New Year: 31 Dec 23:30 UTC is still 31 Dec in London'],
    ['2026-07-01T23:30:00Z', '2026-07-06', 'British Summer Time: 23:30 UTC on 1 July is 2 July in London'],
  ])('received %s is due %s (%s)', (received, due) => {
    expect(reviewDueDate(new Date(received))).toBe(due);
    expect(reviewDueDate(new Date(received))).toBe(due); // the second time from memory
  });

  it('counts with a list of holidays given, not the remembered due dates of the bundled one', () => {
    expect(reviewDueDate(new Date('2026-11-23T10:00:00Z'))).toBe('2026-11-25');
    expect(reviewDueDate(new Date('2026-11-23T10:00:00Z'), new Set(['2026-11-24']))).toBe('2026-11-26');
  });
});

describe('working days', () => {
  it.each([
    ['2026-12-25', false],
    ['2026-12-28', false],
    ['2026-12-29', true],
    ['2026-11-28', false],
    ['2026-11-30', true],
  ])('%s is a working day: %s', (day, expected) => {
    expect(isWorkingDay(day, ENGLAND_AND_WALES_BANK_HOLIDAYS)).toBe(expected);
  });

  it('counts from an updated holiday list, not a built-in one', () => {
    const extra = new Set([...ENGLAND_AND_WALES_BANK_HOLIDAYS, '2026-11-24']);
    expect(addWorkingDays('2026-11-23', 2, extra)).toBe('2026-11-26');
  });

  it('refuses something that is not a calendar date', () => {
    expect(() => addWorkingDays('25/11/2026', 2, ENGLAND_AND_WALES_BANK_HOLIDAYS)).toThrow(/not a calendar date/);
  });

  it('ships the bank holidays for 2024 to 2028', () => {
    const years = new Set([...ENGLAND_AND_WALES_BANK_HOLIDAYS].map((d) => d.slice(0, 4)));
    expect([...years].sort()).toEqual(['2024', '2025', '2026', '2027', '2028']);
  });
});

describe('when the bundled bank holidays run out', () => {
  it.each([
    ['2026-11-26', 2028, null],
    ['2027-12-31', 2028, null],
    ['2028-01-01', 2028, /known only until the end of 2028: due dates next year/],
    ['2029-03-02', 2028, /known only until the end of 2028: due dates now count weekends but not bank holidays/],
  ] as const)('on %s with a list to %i: %s', (today, until, expected) => {
    const warning = holidayListWarning(today, until);
    if (expected === null) expect(warning).toBeNull();
    else expect(warning).toMatch(expected);
  });

  it('knows the bundled list ends in 2028', () => {
    expect(BANK_HOLIDAYS_KNOWN_UNTIL_YEAR).toBe(2028);
  });
});

describe('due state, London date, age', () => {
  it.each([
    ['2026-11-25', '2026-11-24', 'due-later'],
    ['2026-11-25', '2026-11-25', 'due-today'],
    ['2026-11-25', '2026-11-26', 'overdue'],
  ] as const)('due %s seen on %s is %s', (due, today, state) => {
    expect(dueState(due, today)).toBe(state);
  });

  it('takes the calendar day in London, not UTC', () => {
    expect(londonDate(new Date('2026-06-30T23:15:00Z'))).toBe('2026-07-01');
    expect(londonDate(new Date('2026-01-31T23:15:00Z'))).toBe('2026-01-31');
  });

  // Either side of midnight in England, summer and winter, and across both clock changes of 2026
  // (29 March and 25 October, 01:00 UTC); asked twice, so the second answer comes from memory.
  const instants: [string, string][] = [
    ['2026-06-30T22:59:59.999Z', '2026-06-30'],
    ['2026-06-30T23:00:00.000Z', '2026-07-01'],
    ['2026-01-31T23:59:59.999Z', '2026-01-31'],
    ['2026-02-01T00:00:00.000Z', '2026-02-01'],
    ['2026-03-28T23:59:59.999Z', '2026-03-28'],
    ['2026-03-29T00:00:00.000Z', '2026-03-29'],
    ['2026-03-29T22:59:59.999Z', '2026-03-29'],
    ['2026-03-29T23:00:00.000Z', '2026-03-30'],
    ['2026-10-24T22:59:59.999Z', '2026-10-24'],
    ['2026-10-24T23:00:00.000Z', '2026-10-25'],
    ['2026-10-25T23:59:59.999Z', '2026-10-25'],
    ['2026-10-26T00:00:00.000Z', '2026-10-26'],
  ];
  it.each(instants)('%s falls on %s in England, the first time and the next', (instant, day) => {
    expect(londonDate(new Date(instant))).toBe(day);
    expect(londonDate(new Date(instant))).toBe(day);
  });

  it('keeps to local mean time before 1 December 1847, whatever was asked first', () => {
    // London was 1 min 15 s behind Greenwich then: 00:00:30 UTC was still the day before.
    expect(londonDate(new Date('1800-01-01T00:30:00Z'))).toBe('1800-01-01');
    expect(londonDate(new Date('1800-01-01T00:00:30Z'))).toBe('1799-12-31');
  });

  it('refuses an invalid instant, and still does when asked again', () => {
    expect(() => londonDate(new Date('not a date'))).toThrow(RangeError);
    expect(() => londonDate(new Date('not a date'))).toThrow(RangeError);
  });

  it.each([
    ['1950-11-25', '2026-11-25', 76],
    ['1950-11-26', '2026-11-25', 75],
    ['2000-02-29', '2026-02-28', 25],
    ['2000-02-29', '2026-03-01', 26],
  ])('born %s, on %s aged %i', (born, today, age) => {
    expect(ageOn(born, today)).toBe(age);
  });
});
