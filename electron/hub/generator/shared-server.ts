/**
 * What makes the demo hub a trust's shared FHIR server rather than a teledermatology one: the
 * trust and its services, other specialties' referrals (each with its patient, a review Task
 * owned by that specialty's service and the GP's questionnaire; some with a consent and a
 * photograph shaped like the desk's own; some for the desk's own patients), and patients with no
 * referral at all. Most of the server is not dermatology, as on a real one. The same GPs refer to every
 * specialty, so practitioners and practices are shared between them.
 */
import type { Consent, HealthcareService, Media, Organization, Patient, QuestionnaireResponse, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { DESK_CODE_SYSTEM } from '../../services/fhir/codes';
import type { Random } from './random';
import { syntheticPatient, type SyntheticPractice } from './synthetic-people';

export const DEMO_TRUST_ID = 'demo-trust';
/** The teledermatology service: the one whose work the desk reviews in the demo. */
export const DEMO_SERVICE_ID = 'teledermatology';
export const DEMO_SERVICE = `HealthcareService/${DEMO_SERVICE_ID}`;

/** Other specialties of the trust, each a service of its own that receives referrals. */
export const OTHER_SERVICES = [
  { id: 'cardiology', name: 'Cardiology outpatients', reason: 'Exertional chest pain', question: 'Please assess for angina.' },
  { id: 'ent', name: 'Ear, nose and throat', reason: 'Unilateral hearing loss', question: 'Please assess.' },
  { id: 'respiratory', name: 'Respiratory medicine', reason: 'Persistent cough, 8 weeks', question: 'Query asthma versus COPD.' },
  { id: 'gastroenterology', name: 'Gastroenterology', reason: 'Iron deficiency anaemia', question: 'Please consider endoscopy.' },
  { id: 'plastic-surgery', name: 'Plastic surgery', reason: 'Lesion on the back of the hand', question: 'Please consider excision.' },
] as const;

/** Other specialties' referrals for each teledermatology one, and patients with no referral. */
export const OTHER_REFERRALS_PER_CASE = 5;
export const UNREFERRED_PATIENTS_PER_CASE = 10;

const ref = (resourceType: string, id: string): { reference: string } => ({ reference: `${resourceType}/${id}` });

export function trustAndServices(stamp: { versionId: string; lastUpdated: string }): Resource[] {
  const services: HealthcareService[] = [
    { resourceType: 'HealthcareService', id: DEMO_SERVICE_ID, meta: stamp, active: true, name: 'Teledermatology (consultant advice and triage)', providedBy: ref('Organization', DEMO_TRUST_ID) },
    ...OTHER_SERVICES.map((s): HealthcareService => ({ resourceType: 'HealthcareService', id: s.id, meta: stamp, active: true, name: s.name, providedBy: ref('Organization', DEMO_TRUST_ID) })),
  ];
  return [{ resourceType: 'Organization', id: DEMO_TRUST_ID, meta: stamp, name: 'Demo Hospitals NHS Foundation Trust', type: [{ text: 'NHS trust' }] } satisfies Organization, ...services];
}

export interface OtherWorkOptions {
  referrals: number;
  unreferredPatients: number;
  practices: readonly SyntheticPractice[];
  /** Teledermatology patients: some are referred to other specialties too. */
  dermPatients: readonly string[];
  now: Date;
}

/** One other referral in this many is for a teledermatology patient; one in CONSENTED_EVERY carries a consent and a photograph. */
export const SHARED_PATIENT_EVERY = 4;
export const CONSENTED_EVERY = 3;

/** Other specialties' work and patients who were never referred, drawn after the teledermatology cases. */
export function otherWork(random: Random, options: OtherWorkOptions): Resource[] {
  const resources: Resource[] = [];
  const patient = (id: string, at: string): Patient => {
    const person = syntheticPatient(random, options.now);
    const practice = random.pick(options.practices);
    return {
      resourceType: 'Patient', id, meta: { versionId: '1', lastUpdated: at },
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: person.nhsNumber }],
      name: [{ use: 'official', given: [person.given], family: person.family }],
      gender: person.sex, birthDate: person.birthDate, address: [{ postalCode: person.postcode }],
      generalPractitioner: [ref('Organization', practice.id)],
    };
  };
  const sent = (): string => new Date(options.now.getTime() - random.int(600, 20 * 86_400) * 1000).toISOString();

  for (let n = 1; n <= options.referrals; n++) {
    const key = `other-${String(n).padStart(5, '0')}`;
    const service = random.pick(OTHER_SERVICES);
    const at = sent();
    const stamp = { versionId: '1', lastUpdated: at };
    const gp = random.pick(random.pick(options.practices).gps);
    // Some of the desk's own patients are referred elsewhere too: those referrals are not its work.
    const shared = n % SHARED_PATIENT_EVERY === 0 && options.dermPatients.length > 0;
    const patientId = shared ? random.pick(options.dermPatients) : `pat-${key}`;
    if (!shared) resources.push(patient(patientId, at));
    resources.push({
      resourceType: 'ServiceRequest', id: `ref-${key}`, meta: stamp, status: 'active', intent: 'order', priority: random.chance(0.2) ? 'urgent' : 'routine',
      code: { text: `Referral to ${service.name}` }, subject: ref('Patient', patientId), requester: ref('Practitioner', gp.id), authoredOn: at,
      performer: [ref('HealthcareService', service.id)], reasonCode: [{ text: service.reason }], note: [{ text: service.question }],
    } satisfies ServiceRequest);
    resources.push({
      resourceType: 'Task', id: `task-${key}`, meta: stamp, status: 'requested', intent: 'order', description: `Triage of referral to ${service.name}`,
      focus: ref('ServiceRequest', `ref-${key}`), for: ref('Patient', patientId), authoredOn: at, requester: ref('Practitioner', gp.id),
      owner: ref('HealthcareService', service.id),
    } satisfies Task);
    resources.push({
      resourceType: 'QuestionnaireResponse', id: `qr-${key}`, meta: stamp, status: 'completed', subject: ref('Patient', patientId),
      basedOn: [ref('ServiceRequest', `ref-${key}`)], authored: at,
      item: [{ linkId: 'duration', text: 'How long have the symptoms been present?', answer: [{ valueString: random.pick(['2 weeks', '3 months', 'a year']) }] }],
    } satisfies QuestionnaireResponse);
    if (n % CONSENTED_EVERY === 0) {
      // Shaped like the desk's own, and pointing at another specialty's referral: the desk must leave them.
      const about = [{ meaning: 'related' as const, reference: ref('ServiceRequest', `ref-${key}`) }];
      resources.push({
        resourceType: 'Consent', id: `consent-${key}`, meta: stamp, status: 'active', scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
        category: [{ coding: [{ system: DESK_CODE_SYSTEM.consent, code: 'share-with-hospital' }] }], patient: ref('Patient', patientId), dateTime: at,
        provision: { type: 'permit', data: about },
      } satisfies Consent);
      resources.push({
        resourceType: 'Media', id: `media-${key}`, meta: stamp, status: 'completed', subject: ref('Patient', patientId), basedOn: [ref('ServiceRequest', `ref-${key}`)],
        view: { coding: [{ system: DESK_CODE_SYSTEM.imageView, code: 'close-up' }] }, width: 1024, height: 768,
        content: { contentType: 'image/jpeg', url: `Binary/bin-${key}`, title: `${service.name} photograph` },
      } satisfies Media);
    }
  }
  for (let n = 1; n <= options.unreferredPatients; n++) resources.push(patient(`pat-unreferred-${String(n).padStart(5, '0')}`, sent()));
  return resources;
}
