/**
 * The seeded generator of demo referrals: for each case a Patient, ServiceRequest, Task,
 * QuestionnaireResponse, three Consents and 3–5 images (Media + Binary), plus the GP practices.
 * Image pixels are described by a recipe here and drawn only when the Binary is fetched.
 */
import type {
  Binary,
  Consent,
  Media,
  Organization,
  Patient,
  Practitioner,
  QuestionnaireResponse,
  Resource,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import type { ImageView, ReferrerPriority } from '../../../shared/domain/referral';
import {
  CONSENT_KINDS,
  CONSENT_LABELS,
  DESK_CODE_SYSTEM,
  FHIR_PRIORITY,
  IMAGE_VIEW_CODES,
} from '../../services/fhir/codes';
import type { LesionImageRecipe } from './lesion-image';
import { seededRandom, type Random } from './random';
import { syntheticPatient, syntheticPractices } from './synthetic-people';

export interface DemoCaseOptions {
  cases: number;
  seed: number;
  /** The moment the demo is "now": received times fall in the working days before it. */
  now: Date;
}

export interface DemoData {
  resources: Resource[];
  /** Pixels to draw for each Binary id. */
  images: Map<string, LesionImageRecipe>;
}

const SITES = ['Left forearm', 'Right cheek', 'Upper back', 'Scalp', 'Left shin', 'Nasal tip', 'Right ear', 'Chest', 'Left shoulder', 'Dorsum of right hand'];
const REASONS = [
  'Changing pigmented lesion',
  'Non-healing lesion, query basal cell carcinoma',
  'Scaly lesion on sun-exposed skin',
  'New mole with an irregular border',
  'Rapidly growing nodule',
  'Itchy pigmented lesion, family history of melanoma',
];
const QUESTIONS = [
  'Please advise on diagnosis and management.',
  'Does this need excision?',
  'Can this be treated in primary care?',
  'Please assess for skin cancer.',
];
const DEVICES = ['iPhone 15 with DermLite DL5', 'Canon EOS 250D', 'FotoFinder handyscope'];
/** Realistic sensor sizes, 3 to 12 megapixels. */
const SIZES: readonly [number, number][] = [[2048, 1536], [2592, 1944], [3264, 2448], [4000, 3000]];
/** Skin and pigment colours for Fitzpatrick types I–VI. */
const SKIN: readonly (readonly [number, number, number])[] = [[240, 208, 190], [228, 186, 160], [206, 160, 126], [172, 122, 88], [124, 84, 58], [86, 58, 42]];

/** One referral in this many arrives withdrawn (its Task cancelled), so the demo shows the case. */
export const WITHDRAWN_EVERY = 20;

const pad = (n: number): string => String(n).padStart(4, '0');
const ref = (resourceType: string, id: string): { reference: string } => ({ reference: `${resourceType}/${id}` });

function priorityFor(random: Random): ReferrerPriority {
  const roll = random.next();
  if (roll < 0.25) return 'urgent-suspected-cancer';
  return roll < 0.4 ? 'urgent' : 'routine';
}

/** A time during surgery hours on one of the few days before `now`. */
function receivedTime(random: Random, now: Date): Date {
  const received = new Date(now);
  received.setUTCDate(received.getUTCDate() - random.int(0, 5));
  received.setUTCHours(random.int(8, 17), random.int(0, 59), random.int(0, 59), 0);
  return received > now ? new Date(now.getTime() - random.int(60, 7200) * 1000) : received;
}

function imageViews(random: Random): ImageView[] {
  const extra = random.int(0, 2);
  const views: ImageView[] = ['distant', 'close-up', 'dermoscopic'];
  for (let i = 0; i < extra; i++) views.push(random.pick(['close-up', 'dermoscopic'] as const));
  return views;
}

export function generateDemoData(options: DemoCaseOptions): DemoData {
  const random = seededRandom(options.seed);
  const practices = syntheticPractices(random);
  const meta = (lastUpdated: Date): Resource['meta'] => ({ versionId: '1', lastUpdated: lastUpdated.toISOString() });
  const resources: Resource[] = [];
  const images = new Map<string, LesionImageRecipe>();

  for (const practice of practices) {
    resources.push({ resourceType: 'Organization', id: practice.id, meta: meta(options.now), name: practice.name, type: [{ text: 'GP practice' }] } satisfies Organization);
    for (const gp of practice.gps) {
      resources.push({ resourceType: 'Practitioner', id: gp.id, meta: meta(options.now), name: [{ prefix: ['Dr'], given: [gp.given], family: gp.family }] } satisfies Practitioner);
    }
  }

  for (let c = 1; c <= options.cases; c++) {
    const n = pad(c);
    const person = syntheticPatient(random, options.now);
    const practice = random.pick(practices);
    const gp = random.pick(practice.gps);
    const received = receivedTime(random, options.now);
    const priority = priorityFor(random);
    const site = random.pick(SITES);
    const skinType = random.int(1, 6);
    const skin = SKIN[skinType - 1] ?? SKIN[1]!;
    const patientId = `pat-${n}`;
    const referralId = `ref-${n}`;
    const stamp = meta(received);

    resources.push({
      resourceType: 'Patient', id: patientId, meta: stamp,
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: person.nhsNumber }],
      name: [{ use: 'official', given: [person.given], family: person.family }],
      gender: person.sex, birthDate: person.birthDate,
      address: [{ postalCode: person.postcode }],
      generalPractitioner: [ref('Organization', practice.id)],
    } satisfies Patient);

    resources.push({
      resourceType: 'ServiceRequest', id: referralId, meta: stamp,
      status: 'active', intent: 'order', priority: FHIR_PRIORITY[priority],
      code: { text: 'Teledermatology referral for specialist opinion' },
      subject: ref('Patient', patientId), requester: ref('Practitioner', gp.id),
      authoredOn: received.toISOString(),
      reasonCode: [{ text: random.pick(REASONS) }],
      note: [{ text: random.pick(QUESTIONS) }],
      bodySite: [{ text: site }],
    } satisfies ServiceRequest);

    resources.push({
      resourceType: 'Task', id: `task-${n}`, meta: stamp,
      // Every twentieth referral has been withdrawn by the GP since it was sent.
      status: c % WITHDRAWN_EVERY === 0 ? 'cancelled' : 'requested', intent: 'order', priority: FHIR_PRIORITY[priority],
      description: 'Consultant review of teledermatology referral',
      focus: ref('ServiceRequest', referralId), for: ref('Patient', patientId),
      authoredOn: received.toISOString(), requester: ref('Practitioner', gp.id),
    } satisfies Task);

    resources.push({
      resourceType: 'QuestionnaireResponse', id: `qr-${n}`, meta: stamp, status: 'completed',
      subject: ref('Patient', patientId), basedOn: [ref('ServiceRequest', referralId)],
      authored: received.toISOString(),
      item: [
        { linkId: 'duration', text: 'How long has the lesion been present?', answer: [{ valueString: random.pick(['3 weeks', '2 months', '6 months', 'over a year']) }] },
        { linkId: 'changing', text: 'Change in size, shape or colour?', answer: [{ valueBoolean: random.chance(0.6) }] },
        { linkId: 'bleeding', text: 'Bleeding, itching or ulceration?', answer: [{ valueBoolean: random.chance(0.3) }] },
        { linkId: 'skin-cancer-history', text: 'Personal or family history of skin cancer?', answer: [{ valueBoolean: random.chance(0.2) }] },
        { linkId: 'immunosuppressed', text: 'Immunosuppressed?', answer: [{ valueBoolean: random.chance(0.08) }] },
        { linkId: 'fitzpatrick', text: 'Fitzpatrick skin type', answer: [{ valueInteger: skinType }] },
      ],
    } satisfies QuestionnaireResponse);

    for (const kind of CONSENT_KINDS) {
      // Sharing is always given (there is no referral otherwise); the other two vary.
      const permitted = kind === 'share-with-hospital' || random.chance(kind === 'teaching-use' ? 0.7 : 0.9);
      resources.push({
        resourceType: 'Consent', id: `consent-${n}-${kind}`, meta: stamp, status: 'active',
        scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: kind === 'hospital-referral' ? 'treatment' : 'patient-privacy' }] },
        category: [{ coding: [{ system: DESK_CODE_SYSTEM.consent, code: kind, display: CONSENT_LABELS[kind] }] }],
        patient: ref('Patient', patientId), dateTime: received.toISOString(),
        performer: [ref('Practitioner', gp.id)],
        provision: { type: permitted ? 'permit' : 'deny', data: [{ meaning: 'related', reference: ref('ServiceRequest', referralId) }] },
      } satisfies Consent);
    }

    imageViews(random).forEach((view, index) => {
      const [width, height] = random.pick(SIZES);
      const binaryId = `bin-${n}-${index + 1}`;
      images.set(binaryId, {
        seed: random.int(1, 2 ** 31), view, width, height, skin,
        pigment: [Math.round(skin[0] * 0.4), Math.round(skin[1] * 0.3), Math.round(skin[2] * 0.25)],
      });
      resources.push({ resourceType: 'Binary', id: binaryId, meta: stamp, contentType: 'image/jpeg' } satisfies Binary);
      resources.push({
        resourceType: 'Media', id: `media-${n}-${index + 1}`, meta: stamp, status: 'completed',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/media-type', code: 'image' }] },
        view: { coding: [{ system: DESK_CODE_SYSTEM.imageView, code: IMAGE_VIEW_CODES[view] }] },
        subject: ref('Patient', patientId), basedOn: [ref('ServiceRequest', referralId)],
        bodySite: { text: site }, createdDateTime: received.toISOString(),
        device: { display: view === 'dermoscopic' ? 'FotoFinder handyscope' : random.pick(DEVICES) },
        width, height,
        content: { contentType: 'image/jpeg', url: `Binary/${binaryId}`, title: `${view} ${index + 1}` },
      } satisfies Media);
    });
  }
  return { resources, images };
}
