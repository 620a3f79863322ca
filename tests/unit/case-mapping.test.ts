import type { DocumentReference, Media, Patient, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { calendarDay, isoInstant, mapResource, MappingError } from '../../electron/services/fhir/case-mapping';
import { DESK_CODE_SYSTEM } from '../../electron/services/fhir/codes';

const patient: Patient = {
  resourceType: 'Patient', id: 'pat-1', meta: { versionId: '3', lastUpdated: '2026-11-25T10:15:00+01:00' },
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
  name: [{ given: ['Ada', 'May'], family: 'Quayle' }], gender: 'female', birthDate: '1961-03-14',
  generalPractitioner: [{ reference: 'Organization/practice-01' }],
};
const referral: ServiceRequest = {
  resourceType: 'ServiceRequest', id: 'ref-1', status: 'active', intent: 'order', priority: 'asap',
  subject: { reference: 'Patient/pat-1' }, requester: { reference: 'Practitioner/gp-1' },
  authoredOn: '2026-11-27T09:00:00Z', reasonCode: [{ text: 'Changing mole' }], note: [{ text: 'Excise?' }],
  bodySite: [{ text: 'Left shin' }],
};
const media: Media = {
  resourceType: 'Media', id: 'media-1', status: 'completed', content: { contentType: 'image/jpeg', url: 'Binary/bin-1' },
  view: { coding: [{ system: DESK_CODE_SYSTEM.imageView, code: 'dermoscopic' }] }, width: 4000, height: 3000,
  basedOn: [{ reference: 'ServiceRequest/ref-1' }], bodySite: { text: 'Left shin' },
};

const document: DocumentReference = {
  resourceType: 'DocumentReference', id: 'doc-1', status: 'current',
  type: { coding: [{ system: DESK_CODE_SYSTEM.imageView, code: 'close-up' }] },
  context: { related: [{ reference: 'ServiceRequest/ref-1' }] },
  content: [{ attachment: { contentType: 'image/jpeg', url: 'Binary/bin-9', creation: '2026-11-20T10:00:00+00:00' } }],
};

describe('FHIR to cache mapping', () => {
  it('maps a patient: surname first in capitals, NHS number, practice; its version as sent', () => {
    expect(mapResource(patient)).toMatchObject({
      table: 'patient',
      row: { id: 'pat-1', versionId: '3', lastUpdated: '2026-11-25T10:15:00+01:00', name: 'QUAYLE, Ada May', nhsNumber: '9990000018', sex: 'female', practiceId: 'practice-01' },
    });
  });

  it('keeps a version only as text, as sync reads it', () => {
    const odd = { ...patient, meta: { versionId: 3, lastUpdated: 20261125 } } as unknown as Patient;
    expect(mapResource(odd).row).toMatchObject({ versionId: null, lastUpdated: null });
  });

  it('maps a referral: priority asap is urgent suspected cancer, due two working days on', () => {
    expect(mapResource(referral)).toMatchObject({
      table: 'referral',
      row: { versionId: null, lastUpdated: null, patientId: 'pat-1', referrerPriority: 'urgent-suspected-cancer', dueDate: '2026-12-01', reason: 'Changing mole', question: 'Excise?' },
    });
  });

  it('maps an image with its view and size', () => {
    expect(mapResource(media)).toMatchObject({ table: 'image', row: { resourceType: 'Media', referralId: 'ref-1', view: 'dermoscopic', width: 4000, contentUrl: 'Binary/bin-1' } });
  });

  it('maps an image sent as a document, its size not yet known', () => {
    expect(mapResource(document)).toMatchObject({
      table: 'image',
      row: { id: 'doc-1', resourceType: 'DocumentReference', referralId: 'ref-1', view: 'close-up', width: 0, height: 0, contentUrl: 'Binary/bin-9', capturedAt: '2026-11-20T10:00:00.000Z' },
    });
  });

  it('keeps only the fields the desk uses of a resource, and the questionnaire as received', () => {
    expect(mapResource(patient).row).not.toHaveProperty('raw');
    expect(mapResource(referral).row).not.toHaveProperty('raw');
    const response = { resourceType: 'QuestionnaireResponse', id: 'qr-1', status: 'completed', basedOn: [{ reference: 'ServiceRequest/ref-1' }], item: [] };
    const sent = JSON.stringify(response, null, 1);
    expect(mapResource(response, () => sent).row).toMatchObject({ referralId: 'ref-1', raw: sent });
    expect(mapResource(response).row).toMatchObject({ raw: JSON.stringify(response) });
  });

  it.each([
    ['not an object', 'Patient', /not a FHIR resource/],
    ['an unrelated type', { resourceType: 'Observation', id: 'o' }, /not part of a case/],
    ['a patient without NHS number', { ...patient, identifier: [] }, /missing NHS number/],
    ['a patient with a bad id', { ...patient, id: 'pat/../1' }, /not a FHIR id/],
    ['a referral with no date', { ...referral, authoredOn: undefined }, /missing date the referral was sent/],
    ['a referral with a bad date', { ...referral, authoredOn: 'yesterday' }, /not a date and time/],
    ['a referral sent on 30 February', { ...referral, authoredOn: '2026-02-30T10:00:00Z' }, /date the referral was sent \(authoredOn\) "2026-02-30T10:00:00Z" is not a date that exists/],
    ['a patient born on 31 June', { ...patient, birthDate: '1957-06-31' }, /date of birth "1957-06-31" is not a date that exists/],
    ['a referral about a group', { ...referral, subject: { reference: 'Group/g1' } }, /subject should refer to a Patient/],
    ['a referral with an unknown priority', { ...referral, priority: 'whenever' }, /priority "whenever"/],
    ['an image with an unknown view', { ...media, view: { text: 'side' } }, /image view "none"/],
    ['an image with zero width', { ...media, width: 0 }, /0×3000 is not a positive whole number/],
    ['an image without a width', { ...media, width: undefined }, /missing image width/],
    ['an image with fractional size', { ...media, width: 10.5 }, /positive whole number/],
    ['a document that is not an image', { ...document, content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/b' } }] }, /"application\/pdf" is not an image/],
    ['a document about no referral', { ...document, context: {} }, /missing context.related reference/],
    ['an image pointing outside the server', { ...media, content: { contentType: 'image/jpeg', url: 'https://evil.example/x.jpg' } }, /not a Binary reference/],
  ])('refuses %s, saying why', (_what, resource, reason) => {
    expect(() => mapResource(resource)).toThrow(MappingError);
    expect(() => mapResource(resource)).toThrow(reason);
  });
});

describe('instants, written in UTC to the millisecond', () => {
  it.each([
    ['already so: kept', '2026-11-25T10:30:00.000Z', '2026-11-25T10:30:00.000Z'],
    ['with an offset', '2026-11-25T11:30:00+01:00', '2026-11-25T10:30:00.000Z'],
    ['without milliseconds', '2026-11-25T10:30:00Z', '2026-11-25T10:30:00.000Z'],
    ['24:00, the next midnight', '2026-01-31T24:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['29 February in a leap year: kept', '2028-02-29T23:59:59.999Z', '2028-02-29T23:59:59.999Z'],
  ])('%s', (_case, given, written) => {
    expect(isoInstant(given, 'time')).toBe(written);
    expect(isoInstant(given, 'time')).toBe(new Date(Date.parse(given)).toISOString());
  });

  it('refuses what is not a date and time', () => {
    expect(() => isoInstant('2026-13-01T00:00:00.000Z', 'capture time')).toThrow(MappingError);
    expect(() => isoInstant('yesterday', 'capture time')).toThrow('capture time "yesterday" is not a date and time');
  });

  it.each([
    ['31 April, which Date.parse reads as 1 May', '2026-04-31T10:30:00.000Z'],
    ['29 February in a common year', '2026-02-29T00:00:00.000Z'],
    ['30 February, with an offset', '2026-02-30T09:00:00+01:00'],
    ['day 0', '2026-03-00T09:00:00Z'],
  ])('refuses a day that does not exist, rather than moving it: %s', (_case, given) => {
    // Refused either way: as no date at all (Date.parse gives up), or as a day that does not exist.
    expect(() => isoInstant(given, 'date the referral was sent')).toThrow(new RegExp(`date the referral was sent "${given.replace(/[+]/g, '\\+')}" is not a date`));
  });
});

describe('dates of birth, whole and real', () => {
  it.each(['1957-03-14', '2028-02-29', '2000-02-29', '1900-01-01', '1957-12-31'])('takes %s', (given) => {
    expect(calendarDay(given, 'date of birth')).toBe(given);
  });

  it.each([
    ['1957-02-30', /is not a date that exists/],
    ['1900-02-29', /is not a date that exists/], // a century not divisible by 400 is no leap year
    ['1957-06-31', /is not a date that exists/],
    ['1957-13-01', /is not a date that exists/],
    ['1957', /is not a whole date/],
    ['1957-03', /is not a whole date/],
    ['1957-3-14', /is not a whole date/],
    ['14/03/1957', /is not a whole date/],
    ['1957-03-14T00:00:00Z', /is not a whole date/],
    ['', /missing date of birth/],
  ])('refuses %j, saying why', (given, reason) => {
    expect(() => calendarDay(given, 'date of birth')).toThrow(MappingError);
    expect(() => calendarDay(given, 'date of birth')).toThrow(reason);
  });
});
