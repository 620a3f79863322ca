/**
 * A computer clock far from the server's: said to the consultant, since every time the desk
 * shows or records (received, due, signed, the audit trail) is read against one or the other.
 */

/** Below this the difference is noise (a page handled a little after it was answered). */
export const CLOCK_SKEW_NOTICE_MS = 5 * 60 * 1000;

const inWords = (ms: number): string => {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
};

/** What to tell the consultant when the server's clock is `ms` ahead of this computer's (behind when negative); null when close enough. */
export function clockSkewMessage(ms: number): string | null {
  if (!Number.isFinite(ms) || Math.abs(ms) < CLOCK_SKEW_NOTICE_MS) return null;
  return `This computer's clock is ${inWords(ms)} ${ms > 0 ? 'behind' : 'ahead of'} the FHIR server's. Times the desk shows and records (received, due, signed) may be off by that much: ask IT to set this computer's clock.`;
}
