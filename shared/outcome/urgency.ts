/**
 * How soon a patient who must be seen is seen. The target date is counted in
 * calendar days from signing: the waiting-time standards are in weeks, not working days.
 */
import type { IsoDate } from '../clock/working-days';

export const URGENCIES = ['two-week', 'urgent', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY: Record<Urgency, { label: string; days: number }> = {
  'two-week': { label: 'Two weeks: urgent suspected cancer', days: 14 },
  urgent: { label: 'Urgent: within 6 weeks', days: 42 },
  routine: { label: 'Routine: within 18 weeks', days: 126 },
};

/** The latest day the patient should be seen by. */
export function targetDate(signedOn: IsoDate, urgency: Urgency): IsoDate {
  const day = new Date(`${signedOn}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + URGENCY[urgency].days);
  return day.toISOString().slice(0, 10);
}
