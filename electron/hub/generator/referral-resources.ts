/**
 * The resources of one referral: ServiceRequest, Task, QuestionnaireResponse, three Consents,
 * and 3–5 images as Media (or DocumentReference) with their Binary. Pixels are described by a
 * recipe and drawn only when the Binary is fetched.
 */
import type {
  Binary, Consent, DocumentReference, Media, QuestionnaireResponse, QuestionnaireResponseItemAnswer, Resource, ServiceRequest, Task,
} from '@medplum/fhirtypes';
import type { ImageView, ReferrerPriority } from '../../../shared/domain/referral';
import { CONSENT_KINDS, CONSENT_LABELS, DESK_CODE_SYSTEM, FHIR_PRIORITY, IMAGE_VIEW_CODES } from '../../services/fhir/codes';
import type { LesionImageRecipe } from './lesion-image';
import { DEMO_SERVICE } from './shared-server';
import type { Random } from './random';

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

export interface ReferralSpec {
  /** Suffix shared by the referral's resource ids, e.g. "0007" or "0007-e". */
  key: string;
  patientId: string;
  gpId: string;
  received: Date;
  priority: ReferrerPriority;
  site: string;
  skin: readonly [number, number, number];
  skinType: number;
  /**
   * requested: awaiting review; in-progress: being reviewed by `owner`; cancelled: withdrawn by
   * the GP; completed: an earlier, finished case.
   */
  taskStatus: 'requested' | 'in-progress' | 'cancelled' | 'completed';
  /** The consultant (Practitioner id) holding the review, when in progress. */
  owner?: string;
  imagesAs: 'Media' | 'DocumentReference';
  /** An incomplete referral: no dermoscopic image was taken. */
  missingDermoscopy?: boolean;
  /** An incomplete referral: the history questions were left unanswered. */
  thinHistory?: boolean;
}

/** The answer, unless this referral's history was left thin (the random draw happens either way). */
const answered = (spec: ReferralSpec, answer: QuestionnaireResponseItemAnswer): { answer?: QuestionnaireResponseItemAnswer[] } =>
  spec.thinHistory ? {} : { answer: [answer] };

const ref = (resourceType: string, id: string): { reference: string } => ({ reference: `${resourceType}/${id}` });

function imageViews(random: Random, missingDermoscopy: boolean): ImageView[] {
  const extra = random.int(0, 2);
  const views: ImageView[] = ['distant', 'close-up', 'dermoscopic'];
  for (let i = 0; i < extra; i++) views.push(random.pick(['close-up', 'dermoscopic'] as const));
  return missingDermoscopy ? views.map((v) => (v === 'dermoscopic' ? 'close-up' : v)) : views;
}

export function referralResources(random: Random, spec: ReferralSpec, images: Map<string, LesionImageRecipe>): Resource[] {
  const { key, patientId, received } = spec;
  const referralId = `ref-${key}`;
  const stamp = { versionId: '1', lastUpdated: received.toISOString() };
  const at = received.toISOString();
  const resources: Resource[] = [];

  resources.push({
    resourceType: 'ServiceRequest', id: referralId, meta: stamp,
    status: spec.taskStatus === 'completed' ? 'completed' : 'active', intent: 'order', priority: FHIR_PRIORITY[spec.priority],
    code: { text: 'Teledermatology referral for specialist opinion' },
    subject: ref('Patient', patientId), requester: ref('Practitioner', spec.gpId), authoredOn: at,
    performer: [{ reference: DEMO_SERVICE }],
    reasonCode: [{ text: random.pick(REASONS) }], note: [{ text: random.pick(QUESTIONS) }], bodySite: [{ text: spec.site }],
  } satisfies ServiceRequest);

  resources.push({
    resourceType: 'Task', id: `task-${key}`, meta: stamp, status: spec.taskStatus, intent: 'order',
    priority: FHIR_PRIORITY[spec.priority], description: 'Consultant review of teledermatology referral',
    focus: ref('ServiceRequest', referralId), for: ref('Patient', patientId), authoredOn: at, requester: ref('Practitioner', spec.gpId),
    ...(spec.owner ? { owner: ref('Practitioner', spec.owner) } : {}),
  } satisfies Task);

  resources.push({
    resourceType: 'QuestionnaireResponse', id: `qr-${key}`, meta: stamp, status: 'completed',
    subject: ref('Patient', patientId), basedOn: [ref('ServiceRequest', referralId)], authored: at,
    item: [
      { linkId: 'duration', text: 'How long has the lesion been present?', ...answered(spec, { valueString: random.pick(['3 weeks', '2 months', '6 months', 'over a year']) }) },
      { linkId: 'changing', text: 'Change in size, shape or colour?', answer: [{ valueBoolean: random.chance(0.6) }] },
      { linkId: 'bleeding', text: 'Bleeding, itching or ulceration?', ...answered(spec, { valueBoolean: random.chance(0.3) }) },
      { linkId: 'skin-cancer-history', text: 'Personal or family history of skin cancer?', answer: [{ valueBoolean: random.chance(0.2) }] },
      { linkId: 'immunosuppressed', text: 'Immunosuppressed?', answer: [{ valueBoolean: random.chance(0.08) }] },
      { linkId: 'fitzpatrick', text: 'Fitzpatrick skin type', answer: [{ valueInteger: spec.skinType }] },
    ],
  } satisfies QuestionnaireResponse);

  for (const kind of CONSENT_KINDS) {
    // Sharing is always given (there is no referral otherwise); the other two vary.
    const permitted = kind === 'share-with-hospital' || random.chance(kind === 'teaching-use' ? 0.7 : 0.9);
    resources.push({
      resourceType: 'Consent', id: `consent-${key}-${kind}`, meta: stamp, status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: kind === 'hospital-referral' ? 'treatment' : 'patient-privacy' }] },
      category: [{ coding: [{ system: DESK_CODE_SYSTEM.consent, code: kind, display: CONSENT_LABELS[kind] }] }],
      patient: ref('Patient', patientId), dateTime: at, performer: [ref('Practitioner', spec.gpId)],
      provision: { type: permitted ? 'permit' : 'deny', data: [{ meaning: 'related', reference: ref('ServiceRequest', referralId) }] },
    } satisfies Consent);
  }

  imageViews(random, spec.missingDermoscopy ?? false).forEach((view, index) => {
    const [width, height] = random.pick(SIZES);
    const binaryId = `bin-${key}-${index + 1}`;
    const viewCoding = { coding: [{ system: DESK_CODE_SYSTEM.imageView, code: IMAGE_VIEW_CODES[view] }] };
    const device = view === 'dermoscopic' ? 'FotoFinder handyscope' : random.pick(DEVICES);
    images.set(binaryId, {
      seed: random.int(1, 2 ** 31), view, width, height, skin: spec.skin,
      pigment: [Math.round(spec.skin[0] * 0.4), Math.round(spec.skin[1] * 0.3), Math.round(spec.skin[2] * 0.25)],
    });
    resources.push({ resourceType: 'Binary', id: binaryId, meta: stamp, contentType: 'image/jpeg' } satisfies Binary);
    if (spec.imagesAs === 'DocumentReference') {
      // Some systems send photographs as documents: no pixel size until the image is read.
      resources.push({
        resourceType: 'DocumentReference', id: `doc-${key}-${index + 1}`, meta: stamp, status: 'current',
        type: viewCoding, subject: ref('Patient', patientId), date: at,
        context: { related: [ref('ServiceRequest', referralId)] },
        content: [{ attachment: { contentType: 'image/jpeg', url: `Binary/${binaryId}`, title: `${view} ${index + 1} (${device})`, creation: at } }],
      } satisfies DocumentReference);
      return;
    }
    resources.push({
      resourceType: 'Media', id: `media-${key}-${index + 1}`, meta: stamp, status: 'completed',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/media-type', code: 'image' }] },
      view: viewCoding, subject: ref('Patient', patientId), basedOn: [ref('ServiceRequest', referralId)],
      bodySite: { text: spec.site }, createdDateTime: at, device: { display: device }, width, height,
      content: { contentType: 'image/jpeg', url: `Binary/${binaryId}`, title: `${view} ${index + 1}` },
    } satisfies Media);
  });
  return resources;
}
