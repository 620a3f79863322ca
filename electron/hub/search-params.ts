/**
 * The search parameters the demo hub answers from its own index, as a FHIR server answers its
 * indexed ones: the references and codes a teledermatology desk searches by. The hub's
 * CapabilityStatement lists exactly these (capability-statement.ts); any other parameter goes
 * to Medplum's router.
 */
import type { Communication, Consent, DocumentReference, Media, Patient, QuestionnaireResponse, Reference, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';

export type SearchParam =
  | { type: 'reference'; references: (resource: Resource) => (Reference | undefined)[] | undefined }
  | { type: 'token'; codes: (resource: Resource) => (string | undefined)[] };

const reference = <R extends Resource>(pick: (resource: R) => (Reference | undefined)[] | undefined): SearchParam =>
  ({ type: 'reference', references: (resource) => pick(resource as R) });
const token = <R extends Resource>(pick: (resource: R) => (string | undefined)[]): SearchParam =>
  ({ type: 'token', codes: (resource) => pick(resource as R) });

/** Per resource type, beside `_id` and `_lastUpdated`, which every type has. */
export const SEARCH_PARAMS: Readonly<Record<string, Readonly<Record<string, SearchParam>>>> = {
  ServiceRequest: {
    performer: reference<ServiceRequest>((r) => r.performer),
    subject: reference<ServiceRequest>((r) => [r.subject]),
    patient: reference<ServiceRequest>((r) => [r.subject]),
    requester: reference<ServiceRequest>((r) => [r.requester]),
    status: token<ServiceRequest>((r) => [r.status]),
  },
  Task: {
    focus: reference<Task>((r) => [r.focus]),
    owner: reference<Task>((r) => [r.owner]),
    patient: reference<Task>((r) => [r.for]),
    status: token<Task>((r) => [r.status]),
  },
  QuestionnaireResponse: {
    'based-on': reference<QuestionnaireResponse>((r) => r.basedOn),
    subject: reference<QuestionnaireResponse>((r) => [r.subject]),
  },
  Consent: {
    data: reference<Consent>((r) => r.provision?.data?.map((d) => d.reference)),
    patient: reference<Consent>((r) => [r.patient]),
  },
  Media: {
    'based-on': reference<Media>((r) => r.basedOn),
    subject: reference<Media>((r) => [r.subject]),
  },
  DocumentReference: {
    related: reference<DocumentReference>((r) => r.context?.related),
    subject: reference<DocumentReference>((r) => [r.subject]),
  },
  Patient: {
    'general-practitioner': reference<Patient>((r) => r.generalPractitioner),
  },
  Practitioner: {},
  Organization: {},
  // An outcome is a Communication the desk finds again by its identifier (a send after a lost answer).
  Communication: {
    identifier: token<Communication>((r) => (r.identifier ?? []).map((i) => i.value)),
  },
  HealthcareService: {},
};

/** "Type/id" of a reference, whether written relative or absolute. */
export function referenceKey(text: string | undefined): string | null {
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(text ?? '');
  return match ? `${match[1]}/${match[2]}` : null;
}
