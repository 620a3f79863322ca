/**
 * Which FHIR server the desk reads from: `--fhir-base-url=<url>` on the command line, else the
 * DESK_FHIR_BASE_URL environment variable, else none (the built-in demo hub is used).
 */
import { PLAIN_TEXT_FLAG } from './cache/key-policy';

export class SettingsError extends Error {}

export function configuredFhirBaseUrl(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | null {
  const flag = argv.find((arg) => arg.startsWith('--fhir-base-url='))?.slice('--fhir-base-url='.length);
  const value = flag ?? env.DESK_FHIR_BASE_URL;
  if (value === undefined || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new SettingsError(`The FHIR server address "${value}" is not a URL.`);
  }
  if (!isHttpsOrLocalHttp(url)) {
    throw new SettingsError(`The FHIR server must be reached over https (plain http only on this computer): ${value}`);
  }
  if (url.search || url.hash) throw new SettingsError(`The FHIR base URL must not carry a query or fragment: ${value}`);
  return url.toString().replace(/\/+$/, '');
}

/** A server the desk may talk to: https, or plain http only on this computer. */
export function isHttpsOrLocalHttp(url: URL): boolean {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}

/** What a service may be given as: the trust's teledermatology service, department or role. */
const SERVICE_REFERENCE = /^(HealthcareService|Organization|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * Whose work the desk reviews: `--service=<reference>` or DESK_SERVICE, a HealthcareService,
 * Organization or PractitionerRole on the server (e.g. HealthcareService/teledermatology). The
 * desk takes only referrals whose ServiceRequest.performer names it. Null when not given; a
 * server of its own must not be synced without one (main.ts refuses).
 */
export function configuredService(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | null {
  const flag = argv.find((arg) => arg.startsWith('--service='))?.slice('--service='.length);
  const value = (flag ?? env.DESK_SERVICE)?.trim();
  if (value === undefined || value === '') return null;
  if (!SERVICE_REFERENCE.test(value)) {
    throw new SettingsError(`The service "${value.slice(0, 80)}" is not a reference such as HealthcareService/teledermatology (a HealthcareService, Organization or PractitionerRole).`);
  }
  return value;
}

/**
 * Which consultant is using the desk, as a Practitioner id on the server: DESK_PRACTITIONER_ID.
 * (Sign-in will supply it once OAuth arrives.)
 */
export function configuredReviewer(env: Readonly<Record<string, string | undefined>>): { practitionerId: string } | null {
  const id = env.DESK_PRACTITIONER_ID?.trim();
  if (!id) return null;
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw new SettingsError(`DESK_PRACTITIONER_ID "${id}" is not a FHIR id`);
  return { practitionerId: id };
}

/** How long finished work stays in the cache, in days, unless set. */
export const DEFAULT_RETENTION_DAYS = 14;

/**
 * `--retention-days=<n>` or DESK_RETENTION_DAYS: whole days from 0 to 365 that finished work
 * (outcome sent and review completed, or withdrawn) stays in the cache before it is removed; 0
 * removes it at the next sync. The server keeps the record; the desk keeps what it is working on.
 */
export function configuredRetentionDays(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): number {
  const flag = argv.find((arg) => arg.startsWith('--retention-days='))?.slice('--retention-days='.length);
  const value = (flag ?? env.DESK_RETENTION_DAYS)?.trim();
  if (value === undefined || value === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days > 365) throw new SettingsError(`The retention must be a whole number of days from 0 to 365, not "${value.slice(0, 40)}".`);
  return days;
}

/** The idle time after which the desk hides patient data until the consultant unlocks it. */
export const DEFAULT_LOCK_AFTER_MINUTES = 5;

/**
 * `--lock-after-minutes=<n>` or DESK_LOCK_AFTER_MINUTES: whole minutes from 1 to 60; the default
 * is five. Longer than an hour is refused: an unattended desk must not stay open all day.
 */
export function configuredLockAfterMs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): number {
  const flag = argv.find((arg) => arg.startsWith('--lock-after-minutes='))?.slice('--lock-after-minutes='.length);
  const value = (flag ?? env.DESK_LOCK_AFTER_MINUTES)?.trim();
  if (value === undefined || value === '') return DEFAULT_LOCK_AFTER_MINUTES * 60_000;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new SettingsError(`The lock time must be a whole number of minutes from 1 to 60, not "${value}".`);
  }
  return minutes * 60_000;
}

/**
 * `--allow-plain-text-key-storage` or DESK_ALLOW_PLAIN_TEXT_KEY=1: on Linux without a keyring,
 * keep the cache key anyway (see cache/key-policy.ts). Anything but exactly "1" is refused, so a
 * typo does not silently weaken the cache.
 */
export function configuredPlainTextKeyAllowed(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  if (argv.includes(PLAIN_TEXT_FLAG)) return true;
  const value = env.DESK_ALLOW_PLAIN_TEXT_KEY?.trim();
  if (value === undefined || value === '' || value === '0') return false;
  if (value === '1') return true;
  throw new SettingsError(`DESK_ALLOW_PLAIN_TEXT_KEY must be 1 (allow) or 0 (refuse), not "${value}".`);
}
