/**
 * The review clock. Dates are calendar days in England (Europe/London) written as
 * YYYY-MM-DD, so the arithmetic below never meets daylight-saving hours.
 */
import bankHolidayList from './bank-holidays-england-and-wales.json';

export type IsoDate = string;

/** Working days the service promises between receipt and review (BRIEF §5). */
export const REVIEW_WORKING_DAYS = 2;

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: ReadonlySet<IsoDate> = new Set(
  bankHolidayList.events.map((event) => event.date),
);

/** The last year the bundled list covers: after it, due dates would count weekends only. */
export const BANK_HOLIDAYS_KNOWN_UNTIL_YEAR = Math.max(...bankHolidayList.events.map((event) => Number(event.date.slice(0, 4))));

/**
 * What to tell the consultant when the bundled bank holidays run out this year or already
 * have (a due date in a year not covered would ignore its bank holidays); null while covered.
 */
export function holidayListWarning(today: IsoDate, knownUntilYear: number = BANK_HOLIDAYS_KNOWN_UNTIL_YEAR): string | null {
  const year = Number(today.slice(0, 4));
  if (year < knownUntilYear) return null;
  const update = 'Update the desk: it brings the list from GOV.UK.';
  return year === knownUntilYear
    ? `Bank holidays are known only until the end of ${knownUntilYear}: due dates next year will count weekends but not bank holidays. ${update}`
    : `Bank holidays are known only until the end of ${knownUntilYear}: due dates now count weekends but not bank holidays. ${update}`;
}

const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const HOUR_MS = 60 * 60 * 1000;
/**
 * Days already looked up, by the hour since 1970 (UTC). Since England took Greenwich time on
 * 1 December 1847 its offset from UTC has been whole hours, so its date changes only on the
 * hour; a sync works out thousands of due dates, and Intl formatting is the slow part.
 * Bounded: emptied when full. Earlier instants (local mean time) are always looked up.
 */
const londonDateByHour = new Map<number, IsoDate>();
const REMEMBERED_HOURS = 4096;
const WHOLE_HOURS_SINCE = Date.UTC(1847, 11, 1);

/** The calendar day in England on which an instant falls. */
export function londonDate(instant: Date): IsoDate {
  if (!(instant.getTime() >= WHOLE_HOURS_SINCE)) return londonDay.format(instant);
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  const known = londonDateByHour.get(hour);
  if (known !== undefined) return known;
  const date = londonDay.format(instant); // throws for an invalid date, before anything is remembered
  if (londonDateByHour.size >= REMEMBERED_HOURS) londonDateByHour.clear();
  londonDateByHour.set(hour, date);
  return date;
}

function toUtcMidnight(date: IsoDate): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a calendar date: ${date}`);
  return new Date(`${date}T00:00:00Z`);
}

function nextDay(date: IsoDate): IsoDate {
  const day = toUtcMidnight(date);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

export function isWorkingDay(date: IsoDate, holidays: ReadonlySet<IsoDate>): boolean {
  const weekday = toUtcMidnight(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/** The day on which `count` working days after `start` have passed (the start day itself never counts). */
export function addWorkingDays(start: IsoDate, count: number, holidays: ReadonlySet<IsoDate>): IsoDate {
  let day = start;
  for (let counted = 0; counted < count; ) {
    day = nextDay(day);
    if (isWorkingDay(day, holidays)) counted += 1;
  }
  return day;
}

/** Due dates already counted with the bundled holidays, by day of receipt (a sync counts thousands). */
const dueByDayReceived = new Map<IsoDate, IsoDate>();
const REMEMBERED_DAYS = 4096;

/** A referral received at any time on day D is due by the end of the second working day after D. */
export function reviewDueDate(
  receivedAt: Date,
  holidays: ReadonlySet<IsoDate> = ENGLAND_AND_WALES_BANK_HOLIDAYS,
): IsoDate {
  const received = londonDate(receivedAt);
  if (holidays !== ENGLAND_AND_WALES_BANK_HOLIDAYS) return addWorkingDays(received, REVIEW_WORKING_DAYS, holidays);
  const known = dueByDayReceived.get(received);
  if (known !== undefined) return known;
  const due = addWorkingDays(received, REVIEW_WORKING_DAYS, holidays);
  if (dueByDayReceived.size >= REMEMBERED_DAYS) dueByDayReceived.clear();
  dueByDayReceived.set(received, due);
  return due;
}

export type DueState = 'overdue' | 'due-today' | 'due-later';

export function dueState(dueDate: IsoDate, today: IsoDate): DueState {
  if (today > dueDate) return 'overdue';
  return today === dueDate ? 'due-today' : 'due-later';
}

/** Whole years between a birth date and a day, as a clinician states age. */
export function ageOn(birthDate: IsoDate, today: IsoDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
