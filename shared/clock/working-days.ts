/**
 * The review clock. Dates are calendar days in England (Europe/London) written as
 * YYYY-MM-DD, so the arithmetic below never meets daylight-saving hours.
 */
import bankHolidayList from './bank-holidays-england-and-wales.json';

export type IsoDate = string;

/** Working days the service promises between receipt and review. */
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

/**
 * `work`, with its answers remembered by key: a sync works out thousands of due dates. Bounded:
 * emptied when full. An answer is remembered only once `work` has returned it, so what throws
 * still throws the next time.
 */
function remembered<K, V>(work: (key: K) => V, limit = 4096): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    const known = answers.get(key);
    if (known !== undefined) return known;
    const answer = work(key);
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}

const HOUR_MS = 60 * 60 * 1000;
/**
 * Since England took Greenwich time on 1 December 1847 its offset from UTC has been whole hours,
 * so its date changes only on the hour: each hour is looked up once (Intl formatting is the
 * slow part). Earlier instants (local mean time) are always looked up.
 */
const WHOLE_HOURS_SINCE = Date.UTC(1847, 11, 1);
const londonDateOfHour = remembered((hour: number): IsoDate => londonDay.format(new Date(hour * HOUR_MS)));

/** The calendar day in England on which an instant falls. */
export function londonDate(instant: Date): IsoDate {
  const time = instant.getTime();
  if (!(time >= WHOLE_HOURS_SINCE)) return londonDay.format(instant); // throws for an invalid date
  return londonDateOfHour(Math.floor(time / HOUR_MS));
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

/** Due dates counted with the bundled holidays, by day of receipt. */
const bundledDueDate = remembered((received: IsoDate): IsoDate => addWorkingDays(received, REVIEW_WORKING_DAYS, ENGLAND_AND_WALES_BANK_HOLIDAYS));

/** A referral received at any time on day D is due by the end of the second working day after D. */
export function reviewDueDate(
  receivedAt: Date,
  holidays: ReadonlySet<IsoDate> = ENGLAND_AND_WALES_BANK_HOLIDAYS,
): IsoDate {
  const received = londonDate(receivedAt);
  return holidays === ENGLAND_AND_WALES_BANK_HOLIDAYS ? bundledDueDate(received) : addWorkingDays(received, REVIEW_WORKING_DAYS, holidays);
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
