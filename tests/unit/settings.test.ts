import { describe, expect, it } from 'vitest';
import { configuredFhirBaseUrl, SettingsError } from '../../electron/services/settings';

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
