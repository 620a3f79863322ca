import { describe, expect, it } from 'vitest';
import { configuredFhirBaseUrl, configuredLockAfterMs, configuredPlainTextKeyAllowed, configuredRetentionDays, configuredService, DEFAULT_RETENTION_DAYS, SettingsError } from '../../electron/services/settings';

describe('which FHIR server the desk uses', () => {
  it.each([
    [[], {}, null],
    [[], { DESK_FHIR_BASE_URL: '' }, null],
    [[], { DESK_FHIR_BASE_URL: 'https://fhir.example.nhs.uk/R4/' }, 'https://fhir.example.nhs.uk/R4'],
    [['--fhir-base-url=https://a.example/fhir'], { DESK_FHIR_BASE_URL: 'https://b.example/fhir' }, 'https://a.example/fhir'],
    [['--fhir-base-url=http://127.0.0.1:8080/fhir'], {}, 'http://127.0.0.1:8080/fhir'],
  ] as const)('argv %j env %j -> %s', (argv, env, expected) => {
    expect(configuredFhirBaseUrl(argv, env)).toBe(expected);
  });

  it.each([
    ['not a url', /not a URL/],
    ['http://fhir.example.nhs.uk/R4', /https/],
    ['ftp://127.0.0.1/fhir', /https/],
    ['https://fhir.example/R4?_format=json', /query/],
  ])('refuses %s', (value, message) => {
    expect(() => configuredFhirBaseUrl([], { DESK_FHIR_BASE_URL: value })).toThrow(SettingsError);
    expect(() => configuredFhirBaseUrl([], { DESK_FHIR_BASE_URL: value })).toThrow(message);
  });
});

describe('the service whose work the desk reviews', () => {
  it.each([
    [[], {}, null],
    [[], { DESK_SERVICE: '  ' }, null],
    [[], { DESK_SERVICE: 'HealthcareService/teledermatology' }, 'HealthcareService/teledermatology'],
    [[], { DESK_SERVICE: ' Organization/RAJ-derm ' }, 'Organization/RAJ-derm'],
    [['--service=PractitionerRole/derm-triage'], { DESK_SERVICE: 'HealthcareService/other' }, 'PractitionerRole/derm-triage'],
  ] as const)('argv %j env %j -> %s', (argv, env, expected) => {
    expect(configuredService(argv, env)).toBe(expected);
  });

  it.each([
    ['teledermatology'],
    ['Patient/pat-1'],
    ['HealthcareService/'],
    ['https://fhir.example/R4/HealthcareService/derm'],
    ['HealthcareService/derm?status=active'],
    ['HealthcareService/derm,HealthcareService/ent'],
  ])('refuses %s: a service is one HealthcareService, Organization or PractitionerRole reference', (value) => {
    expect(() => configuredService([], { DESK_SERVICE: value })).toThrow(SettingsError);
    expect(() => configuredService([], { DESK_SERVICE: value })).toThrow(/HealthcareService, Organization or PractitionerRole/);
  });
});

describe('how long finished work stays in the cache', () => {
  it.each([
    [[], {}, DEFAULT_RETENTION_DAYS],
    [[], { DESK_RETENTION_DAYS: '30' }, 30],
    [[], { DESK_RETENTION_DAYS: '0' }, 0],
    [['--retention-days=7'], { DESK_RETENTION_DAYS: '30' }, 7],
    [[], { DESK_RETENTION_DAYS: '365' }, 365],
  ] as const)('argv %j env %j -> %i days', (argv, env, expected) => {
    expect(configuredRetentionDays(argv, env)).toBe(expected);
  });

  it.each(['-1', '1.5', '366', 'a fortnight', '14 days'])('refuses %s', (value) => {
    expect(() => configuredRetentionDays([], { DESK_RETENTION_DAYS: value })).toThrow(/whole number of days from 0 to 365/);
  });
});

describe('lock time', () => {
  it.each([
    [[], {}, 5 * 60_000],
    [[], { DESK_LOCK_AFTER_MINUTES: '2' }, 2 * 60_000],
    [['--lock-after-minutes=15'], { DESK_LOCK_AFTER_MINUTES: '2' }, 15 * 60_000],
    [[], { DESK_LOCK_AFTER_MINUTES: ' 60 ' }, 60 * 60_000],
  ] as const)('argv %j env %j -> %i ms', (argv, env, expected) => {
    expect(configuredLockAfterMs(argv, env)).toBe(expected);
  });

  it.each(['0', '61', '2.5', 'never', '-1'])('refuses %s minutes', (value) => {
    expect(() => configuredLockAfterMs([], { DESK_LOCK_AFTER_MINUTES: value })).toThrow(/whole number of minutes from 1 to 60/);
  });
});

describe('keeping the cache key without a keyring', () => {
  it.each([
    [[], {}, false],
    [[], { DESK_ALLOW_PLAIN_TEXT_KEY: '0' }, false],
    [[], { DESK_ALLOW_PLAIN_TEXT_KEY: '1' }, true],
    [['--allow-plain-text-key-storage'], {}, true],
    [['--allow-plain-text-key-storage=no'], {}, false],
  ] as const)('argv %j env %j -> %s', (argv, env, expected) => {
    expect(configuredPlainTextKeyAllowed(argv, env)).toBe(expected);
  });

  it.each(['yes', 'true', '2'])('refuses DESK_ALLOW_PLAIN_TEXT_KEY=%s rather than guess', (value) => {
    expect(() => configuredPlainTextKeyAllowed([], { DESK_ALLOW_PLAIN_TEXT_KEY: value })).toThrow(/must be 1 \(allow\) or 0 \(refuse\)/);
  });
});
