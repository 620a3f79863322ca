/**
 * FHIR R4 resources -> rows of the desk's cache. Pure: each function takes a parsed resource
 * and returns a row, or throws MappingError saying what is wrong in words a person can act on.
 */
import type { Consent, DocumentReference, Media, Organization, Patient, Practitioner, QuestionnaireResponse, ServiceRequest, Task } from '@medplum/fhirtypes';
import { reviewDueDate } from '../../../shared/clock/working-days';
import { IMAGE_VIEWS, SEXES, type ImageView, type ReferrerPriority } from '../../../shared/domain/referral';
import { CONSENT_KINDS, DESK_CODE_SYSTEM, referrerPriorityFromFhir, type ConsentKind } from './codes';
import { questionnaireAnswers, QuestionnaireUnreadable } from './questionnaire';

export class MappingError extends Error {}

interface Versioned {
  id: string;
  versionId: string | null;
  /** meta.lastUpdated as sent: with versionId, what sync compares to skip repeats and refuse older versions. */
  lastUpdated: string | null;
}
export interface PatientRow extends Versioned { nhsNumber: string; name: string; birthDate: string; sex: (typeof SEXES)[number]; postcode: string | null; practiceId: string | null }
export interface PersonRow extends Versioned { name: string }
export interface ReferralRow extends Versioned {
  patientId: string; requesterId: string | null; status: string; referrerPriority: ReferrerPriority;
  receivedAt: string; dueDate: string; reason: string; question: string; lesionSite: string;
}
export interface TaskRow extends Versioned { referralId: string; status: string; ownerId: string | null }
/**
 * The one resource kept as the GP's system sent it (`raw`): its answers are read when the case
 * opens. Of every other resource the cache keeps only the fields the desk uses (the rows above):
 * no addresses, telephone numbers or anything else a server holds that review does not need.
 */
export interface QuestionnaireRow extends Versioned { referralId: string; raw: string }
export interface ConsentRow extends Versioned { referralId: string; kind: ConsentKind; permitted: boolean; recordedAt: string | null }
export interface ImageRow extends Versioned {
  /** Photographs come as either; both are images, which share a table. */
  resourceType: 'Media' | 'DocumentReference';
  referralId: string; view: ImageView; bodySite: string; capturedAt: string | null;
  width: number; height: number; contentUrl: string; contentType: string;
}

export type CacheRecord =
  | { table: 'patient'; row: PatientRow }
  | { table: 'practitioner'; row: PersonRow }
  | { table: 'organization'; row: PersonRow }
  | { table: 'referral'; row: ReferralRow }
  | { table: 'review_task'; row: TaskRow }
  | { table: 'questionnaire_response'; row: QuestionnaireRow }
  | { table: 'consent'; row: ConsentRow }
  | { table: 'image'; row: ImageRow };

export type CacheTable = CacheRecord['table'];
export type RowOf<T extends CacheTable> = Extract<CacheRecord, { table: T }>['row'];

/**
 * Every field of each table's row, in one order, the id first: the columns the cache writes
 * (case-store.ts, versionId as version_id, bound by position) and the order of each row's values
 * in cache-rows.ts. A row type's field missing here fails the type check in
 * tests/unit/page-wire.test.ts.
 */
export const ROW_FIELDS = {
  patient: ['id', 'versionId', 'lastUpdated', 'nhsNumber', 'name', 'birthDate', 'sex', 'postcode', 'practiceId'],
  practitioner: ['id', 'versionId', 'lastUpdated', 'name'],
  organization: ['id', 'versionId', 'lastUpdated', 'name'],
  referral: ['id', 'versionId', 'lastUpdated', 'patientId', 'requesterId', 'status', 'referrerPriority', 'receivedAt', 'dueDate', 'reason', 'question', 'lesionSite'],
  review_task: ['id', 'versionId', 'lastUpdated', 'referralId', 'status', 'ownerId'],
  questionnaire_response: ['id', 'versionId', 'lastUpdated', 'referralId', 'raw'],
  consent: ['id', 'versionId', 'lastUpdated', 'referralId', 'kind', 'permitted', 'recordedAt'],
  image: ['id', 'versionId', 'lastUpdated', 'resourceType', 'referralId', 'view', 'bodySite', 'capturedAt', 'width', 'height', 'contentUrl', 'contentType'],
} as const satisfies { readonly [T in CacheTable]: readonly ['id', ...(keyof RowOf<T>)[]] };

/** The cache's tables of resources, each once. */
export const CACHE_TABLES = Object.keys(ROW_FIELDS) as CacheTable[];

/** The resource types a case is made of, in the order a first sync fetches them. */
export const CASE_RESOURCE_TYPES = [
  'Organization', 'Practitioner', 'Patient', 'ServiceRequest', 'Task', 'QuestionnaireResponse', 'Consent', 'Media', 'DocumentReference',
] as const;
export type CaseResourceType = (typeof CASE_RESOURCE_TYPES)[number];

/** The cache table each resource type is mapped into. */
export const CACHE_TABLE = {
  Organization: 'organization', Practitioner: 'practitioner', Patient: 'patient', ServiceRequest: 'referral', Task: 'review_task',
  QuestionnaireResponse: 'questionnaire_response', Consent: 'consent', Media: 'image', DocumentReference: 'image',
} as const satisfies { readonly [T in CaseResourceType]: CacheRecord['table'] };

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new MappingError(`missing ${what}`);
  return value;
}

/**
 * Each mapper takes this first (an unusable id is the reason given) and spreads it last in
 * its row: V8 builds an object literal that adds properties after a spread in its slow dictionary
 * form (≈9 µs a row here, against ≈0.1 µs), and a sync maps thousands.
 */
function base(resource: { id?: string; meta?: { versionId?: unknown; lastUpdated?: unknown } }): Versioned {
  const id = need(resource.id, 'id');
  if (!FHIR_ID.test(id)) throw new MappingError(`id "${id.slice(0, 80)}" is not a FHIR id`);
  const { versionId, lastUpdated } = resource.meta ?? {};
  // Text or nothing, as sync reads them (sync-ledger's versionOf): compared with what it holds.
  return { id, versionId: typeof versionId === 'string' ? versionId : null, lastUpdated: typeof lastUpdated === 'string' ? lastUpdated : null };
}

/** The id in a literal reference such as "Patient/pat-1"; anything else is refused. */
export function referencedId(reference: { reference?: string } | undefined, type: string, what: string): string {
  const text = need(reference?.reference, `${what} reference`);
  const match = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(text);
  if (!match || match[1] !== type) throw new MappingError(`${what} should refer to a ${type}, not "${text.slice(0, 80)}"`);
  return match[2] as string;
}

/** The way toISOString writes an instant: UTC, to the millisecond. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A FHIR date's day part (YYYY, YYYY-MM or YYYY-MM-DD at its start), when it names a day that exists. */
const DATE_PART = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|T)/;
function isCalendarDate(text: string): boolean {
  const match = DATE_PART.exec(text);
  if (!match) return false;
  const [, year, month = '01', day = '01'] = match as unknown as [string, string, string | undefined, string | undefined];
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  // Counted, not asked of a Date: a sync checks thousands.
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number));
}
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A whole date (YYYY-MM-DD) of a day that exists, as the desk shows ages from; refused otherwise, with what it is. */
export function calendarDay(value: string | undefined, what: string): string {
  const text = need(value, what);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new MappingError(`${what} "${text.slice(0, 40)}" is not a whole date (year, month and day)`);
  if (!isCalendarDate(text)) throw new MappingError(`${what} "${text}" is not a date that exists`);
  return text;
}

/** An instant written in UTC as toISOString does; refused when it is not a date and time, or names a day that does not exist (30 February). */
export function isoInstant(value: string | undefined, what: string): string {
  const text = need(value, what);
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new MappingError(`${what} "${text.slice(0, 40)}" is not a date and time`);
  // Date.parse reads 30 February as 2 March: a day that does not exist is refused, not moved.
  if (!isCalendarDate(text)) throw new MappingError(`${what} "${text.slice(0, 40)}" is not a date that exists`);
  // Most servers write instants this way already: kept as they are, which saves a sync writing
  // thousands of them out again; not 24:00, which Date.parse reads as the next day's midnight.
  if (CANONICAL_INSTANT.test(text) && text.slice(11, 13) !== '24') return text;
  return new Date(time).toISOString();
}

/** The code given under `system` in any of these concepts. */
function codeIn(concepts: readonly { coding?: { system?: string; code?: string }[] }[] | undefined, system: string): string | undefined {
  for (const concept of concepts ?? []) {
    for (const coding of concept.coding ?? []) if (coding.system === system) return coding.code;
  }
  return undefined;
}

function humanName(names: { given?: string[]; family?: string; prefix?: string[] }[] | undefined, what: string): { given: string; family: string; prefix: string } {
  const name = need(names?.[0], `${what} name`);
  return { given: (name.given ?? []).join(' '), family: name.family ?? '', prefix: (name.prefix ?? []).join(' ') };
}

export function mapPatient(patient: Patient): PatientRow {
  const versioned = base(patient);
  const nhs = patient.identifier?.find((i) => i.system === 'https://fhir.nhs.uk/Id/nhs-number')?.value;
  const { given, family } = humanName(patient.name, 'patient');
  const sex = patient.gender ?? 'unknown';
  return {
    nhsNumber: need(nhs, 'NHS number'),
    // Surname in capitals first, as NHS patient banners show it.
    name: `${family.toUpperCase()}, ${given}`.trim(),
    birthDate: calendarDay(patient.birthDate, 'date of birth'),
    sex: SEXES.find((s) => s === sex) ?? 'unknown',
    postcode: patient.address?.[0]?.postalCode ?? null,
    practiceId: practiceOf(patient),
    ...versioned,
  };
}

/** The patient's registered GP practice, when it is given as an Organization. */
function practiceOf(patient: Patient): string | null {
  const gp = patient.generalPractitioner?.find((r) => r.reference?.startsWith('Organization/'));
  return gp ? referencedId(gp, 'Organization', 'general practitioner') : null;
}

export function mapPractitioner(practitioner: Practitioner): PersonRow {
  const versioned = base(practitioner);
  const { prefix, given, family } = humanName(practitioner.name, 'practitioner');
  return { name: [prefix, given, family].filter(Boolean).join(' '), ...versioned };
}

export function mapOrganization(organization: Organization): PersonRow {
  const versioned = base(organization);
  return { name: need(organization.name, 'organisation name'), ...versioned };
}

export function mapReferral(request: ServiceRequest): ReferralRow {
  const versioned = base(request);
  const receivedAt = isoInstant(request.authoredOn, 'date the referral was sent (authoredOn)');
  const referrerPriority = referrerPriorityFromFhir(request.priority ?? 'routine');
  if (!referrerPriority) throw new MappingError(`priority "${request.priority}" is not a FHIR request priority`);
  return {
    patientId: referencedId(request.subject, 'Patient', 'subject'),
    requesterId: request.requester ? referencedId(request.requester, 'Practitioner', 'requester') : null,
    status: need(request.status, 'status'),
    referrerPriority,
    receivedAt,
    dueDate: reviewDueDate(new Date(receivedAt)),
    reason: request.reasonCode?.map((c) => c.text ?? c.coding?.[0]?.display).filter(Boolean).join('; ') ?? '',
    question: request.note?.map((n) => n.text).join('\n') ?? '',
    lesionSite: request.bodySite?.map((s) => s.text ?? s.coding?.[0]?.display).filter(Boolean).join(', ') ?? '',
    ...versioned,
  };
}

export function mapTask(task: Task): TaskRow {
  const versioned = base(task);
  return {
    referralId: referencedId(task.focus, 'ServiceRequest', 'focus'),
    status: need(task.status, 'status'),
    // Held by a person only when a Practitioner owns it; a service or team owning it holds nobody.
    ownerId: task.owner?.reference?.startsWith('Practitioner/') ? referencedId(task.owner, 'Practitioner', 'owner') : null,
    ...versioned,
  };
}

/** `raw`: its JSON as received, when the caller has it; otherwise written out here. */
export function mapQuestionnaireResponse(response: QuestionnaireResponse, raw?: string): QuestionnaireRow {
  const versioned = base(response);
  const referralId = referencedId(response.basedOn?.[0], 'ServiceRequest', 'basedOn');
  // Read now, so that one the desk cannot read is quarantined with the reason, not met when the case opens.
  try {
    questionnaireAnswers(response);
  } catch (err) {
    if (err instanceof QuestionnaireUnreadable) throw new MappingError(`the GP's questionnaire cannot be read: ${err.message}`);
    throw err;
  }
  return { referralId, raw: raw ?? JSON.stringify(response), ...versioned };
}

export function mapConsent(consent: Consent): ConsentRow {
  const versioned = base(consent);
  const code = codeIn(consent.category, DESK_CODE_SYSTEM.consent);
  const kind = CONSENT_KINDS.find((k) => k === code);
  if (!kind) throw new MappingError(`consent category "${code ?? 'none'}" is not one of ${CONSENT_KINDS.join(', ')}`);
  const type = need(consent.provision?.type, 'provision type (permit or deny)');
  return {
    referralId: referencedId(consent.provision?.data?.[0]?.reference, 'ServiceRequest', 'provision.data'),
    kind,
    permitted: type === 'permit' && consent.status === 'active',
    recordedAt: consent.dateTime ? isoInstant(consent.dateTime, 'consent time') : null,
    ...versioned,
  };
}

function imageView(concept: { coding?: { system?: string; code?: string }[] } | undefined): ImageView {
  const code = concept?.coding?.find((c) => c.system === DESK_CODE_SYSTEM.imageView)?.code;
  const view = IMAGE_VIEWS.find((v) => v === code);
  if (!view) throw new MappingError(`image view "${code ?? 'none'}" is not one of ${IMAGE_VIEWS.join(', ')}`);
  return view;
}

function binaryUrl(url: string | undefined): string {
  const contentUrl = need(url, 'image content URL');
  if (!/^Binary\/[A-Za-z0-9\-.]{1,64}$/.test(contentUrl)) throw new MappingError(`image content URL "${contentUrl.slice(0, 80)}" is not a Binary reference`);
  return contentUrl;
}

export function mapMedia(media: Media): ImageRow {
  const versioned = base(media);
  const view = imageView(media.view);
  const width = need(media.width, 'image width');
  const height = need(media.height, 'image height');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new MappingError(`image size ${width}×${height} is not a positive whole number of pixels`);
  }
  const contentUrl = binaryUrl(media.content?.url);
  return {
    resourceType: 'Media',
    referralId: referencedId(media.basedOn?.[0], 'ServiceRequest', 'basedOn'),
    view,
    bodySite: media.bodySite?.text ?? '',
    capturedAt: media.createdDateTime ? isoInstant(media.createdDateTime, 'capture time') : null,
    width,
    height,
    contentUrl,
    contentType: need(media.content?.contentType, 'image content type'),
    ...versioned,
  };
}

/** A photograph sent as a document. Its pixel size is unknown (0) until the image is read. */
export function mapDocumentReference(document: DocumentReference): ImageRow {
  const versioned = base(document);
  const attachment = document.content?.[0]?.attachment;
  const contentType = need(attachment?.contentType, 'image content type');
  if (!contentType.startsWith('image/')) throw new MappingError(`document content type "${contentType.slice(0, 60)}" is not an image`);
  const related = document.context?.related?.find((r) => r.reference?.startsWith('ServiceRequest/'));
  const captured = attachment?.creation ?? document.date;
  return {
    resourceType: 'DocumentReference',
    referralId: referencedId(related, 'ServiceRequest', 'context.related'),
    view: imageView(document.type),
    bodySite: '',
    capturedAt: captured ? isoInstant(captured, 'capture time') : null,
    width: 0,
    height: 0,
    contentUrl: binaryUrl(attachment?.url),
    contentType,
    ...versioned,
  };
}

/**
 * Maps any resource of a case type; the type is checked, never assumed. `rawText`: its JSON as
 * received, asked for only where it is kept (cutting it out of a page has a cost).
 */
export function mapResource(resource: unknown, rawText: () => string | null = () => null): CacheRecord {
  if (typeof resource !== 'object' || resource === null) throw new MappingError('not a FHIR resource');
  const type = (resource as { resourceType?: unknown }).resourceType;
  switch (type) {
    case 'Patient': return { table: CACHE_TABLE.Patient, row: mapPatient(resource as Patient) };
    case 'Practitioner': return { table: CACHE_TABLE.Practitioner, row: mapPractitioner(resource as Practitioner) };
    case 'Organization': return { table: CACHE_TABLE.Organization, row: mapOrganization(resource as Organization) };
    case 'ServiceRequest': return { table: CACHE_TABLE.ServiceRequest, row: mapReferral(resource as ServiceRequest) };
    case 'Task': return { table: CACHE_TABLE.Task, row: mapTask(resource as Task) };
    case 'QuestionnaireResponse': return { table: CACHE_TABLE.QuestionnaireResponse, row: mapQuestionnaireResponse(resource as QuestionnaireResponse, rawText() ?? undefined) };
    case 'Consent': return { table: CACHE_TABLE.Consent, row: mapConsent(resource as Consent) };
    case 'Media': return { table: CACHE_TABLE.Media, row: mapMedia(resource as Media) };
    case 'DocumentReference': return { table: CACHE_TABLE.DocumentReference, row: mapDocumentReference(resource as DocumentReference) };
    default: throw new MappingError(`resource type "${String(type).slice(0, 40)}" is not part of a case`);
  }
}
