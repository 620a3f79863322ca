/** How dates and people are written on screen (en-GB, Europe/London). */
import { ageOn, londonDate } from '../../../shared/clock/working-days';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
});
const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
const longDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

export const formatReceived = (iso: string): string => dateTime.format(new Date(iso));
/** A calendar date (YYYY-MM-DD) such as a due date. */
export const formatDay = (isoDate: string): string => day.format(new Date(`${isoDate}T00:00:00Z`));
/** A calendar date written in full: 6 Apr 1949. */
export const formatBirthDate = (isoDate: string): string => longDay.format(new Date(`${isoDate}T00:00:00Z`));
export const formatClock = (iso: string): string => clock.format(new Date(iso));
export const today = (): string => londonDate(new Date());
export const ageToday = (birthDate: string): number => ageOn(birthDate, today());
export const SEX_LABELS: Record<string, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Not known' };
