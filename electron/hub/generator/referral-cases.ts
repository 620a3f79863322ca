/**
 * The seeded generator of demo referrals: GP practices, and for each case a Patient and a
 * referral (referral-resources.ts) addressed to the teledermatology service; then the rest of a
 * shared trust server (shared-server.ts). Some patients also have an earlier, finished referral with
 * images, for comparison over time; some referrals arrive withdrawn; some send their images as
 * DocumentReference rather than Media.
 */
import type { Organization, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import type { ReferrerPriority } from '../../../shared/domain/referral';
import type { LesionImageRecipe } from './lesion-image';
import { seededRandom, type Random } from './random';
import { referralResources } from './referral-resources';
import { OTHER_REFERRALS_PER_CASE, otherWork, trustAndServices, UNREFERRED_PATIENTS_PER_CASE } from './shared-server';
import { syntheticPatient, syntheticPractices } from './synthetic-people';

export interface DemoCaseOptions {
  cases: number;
  seed: number;
  /** The moment the demo is "now": received times fall in the working days before it. */
  now: Date;
  /** Other specialties' referrals and never-referred patients (shared-server.ts); by default in proportion to `cases`. */
  otherReferrals?: number;
  unreferredPatients?: number;
}

export interface DemoData {
  resources: Resource[];
  /** Pixels to draw for each Binary id. */
  images: Map<string, LesionImageRecipe>;
}

/** One referral in this many arrives withdrawn (its Task cancelled), so the demo shows the case. */
export const WITHDRAWN_EVERY = 20;
/** One patient in this many was referred before, months ago, for the same site. */
export const EARLIER_CASE_EVERY = 7;
/** One referral in this many sends its images as DocumentReference. */
export const DOCUMENT_IMAGES_EVERY = 4;
/** One referral in this many has no dermoscopic image; one in THIN_HISTORY_EVERY an unanswered history. */
export const NO_DERMOSCOPY_EVERY = 11;
export const THIN_HISTORY_EVERY = 13;
/** One referral in this many is already being reviewed by a colleague. */
export const HELD_BY_COLLEAGUE_EVERY = 9;

/**
 * The hospital's consultant dermatologists. The desk runs as the first in the demo; the second
 * is a colleague reviewing some cases at the same time.
 */
export const DEMO_CONSULTANTS = [
  { id: 'consultant-1', given: 'Adaeze', family: 'Okonkwo' },
  { id: 'consultant-2', given: 'Tomos', family: 'Pryce' },
] as const;

const SITES = ['Left forearm', 'Right cheek', 'Upper back', 'Scalp', 'Left shin', 'Nasal tip', 'Right ear', 'Chest', 'Left shoulder', 'Dorsum of right hand'];
/** Skin colours for Fitzpatrick types I–VI. */
const SKIN: readonly (readonly [number, number, number])[] = [[240, 208, 190], [228, 186, 160], [206, 160, 126], [172, 122, 88], [124, 84, 58], [86, 58, 42]];

const pad = (n: number): string => String(n).padStart(4, '0');
const ref = (resourceType: string, id: string): { reference: string } => ({ reference: `${resourceType}/${id}` });

function priorityFor(random: Random): ReferrerPriority {
  const roll = random.next();
  if (roll < 0.25) return 'urgent-suspected-cancer';
  return roll < 0.4 ? 'urgent' : 'routine';
}

/** A time during surgery hours on one of the few days before `now`. */
function receivedTime(random: Random, now: Date, daysBack: [number, number]): Date {
  const received = new Date(now);
  received.setUTCDate(received.getUTCDate() - random.int(...daysBack));
  received.setUTCHours(random.int(8, 17), random.int(0, 59), random.int(0, 59), 0);
  return received > now ? new Date(now.getTime() - random.int(60, 7200) * 1000) : received;
}

export function generateDemoData(options: DemoCaseOptions): DemoData {
  const random = seededRandom(options.seed);
  const practices = syntheticPractices(random);
  const resources: Resource[] = [];
  const images = new Map<string, LesionImageRecipe>();
  const nowStamp = { versionId: '1', lastUpdated: options.now.toISOString() };

  resources.push(...trustAndServices(nowStamp));
  for (const practice of practices) {
    resources.push({ resourceType: 'Organization', id: practice.id, meta: nowStamp, name: practice.name, type: [{ text: 'GP practice' }] } satisfies Organization);
    for (const gp of practice.gps) {
      resources.push({ resourceType: 'Practitioner', id: gp.id, meta: nowStamp, name: [{ prefix: ['Dr'], given: [gp.given], family: gp.family }] } satisfies Practitioner);
    }
  }

  for (const consultant of DEMO_CONSULTANTS) {
    resources.push({
      resourceType: 'Practitioner', id: consultant.id, meta: nowStamp,
      name: [{ prefix: ['Dr'], given: [consultant.given], family: consultant.family }],
      qualification: [{ code: { text: 'Consultant Dermatologist' } }],
    } satisfies Practitioner);
  }

  for (let c = 1; c <= options.cases; c++) {
    const n = pad(c);
    const person = syntheticPatient(random, options.now);
    const practice = random.pick(practices);
    const gp = random.pick(practice.gps);
    const site = random.pick(SITES);
    const skinType = random.int(1, 6);
    const skin = SKIN[skinType - 1] ?? SKIN[1]!;
    const patientId = `pat-${n}`;
    const received = receivedTime(random, options.now, [0, 5]);

    resources.push({
      resourceType: 'Patient', id: patientId, meta: { versionId: '1', lastUpdated: received.toISOString() },
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: person.nhsNumber }],
      name: [{ use: 'official', given: [person.given], family: person.family }],
      gender: person.sex, birthDate: person.birthDate, address: [{ postalCode: person.postcode }],
      generalPractitioner: [ref('Organization', practice.id)],
    } satisfies Patient);

    const common = { patientId, gpId: gp.id, site, skin, skinType };
    if (c % EARLIER_CASE_EVERY === 0) {
      resources.push(...referralResources(random, {
        ...common, key: `${n}-e`, received: receivedTime(random, options.now, [90, 400]),
        priority: 'routine', taskStatus: 'completed', imagesAs: 'Media',
      }, images));
    }
    resources.push(...referralResources(random, {
      ...common, key: n, received, priority: priorityFor(random),
      ...(c % WITHDRAWN_EVERY === 0
        ? { taskStatus: 'cancelled' as const }
        : c % HELD_BY_COLLEAGUE_EVERY === 0
          ? { taskStatus: 'in-progress' as const, owner: DEMO_CONSULTANTS[1].id }
          : { taskStatus: 'requested' as const }),
      imagesAs: c % DOCUMENT_IMAGES_EVERY === 0 ? 'DocumentReference' : 'Media',
      missingDermoscopy: c % NO_DERMOSCOPY_EVERY === 0,
      thinHistory: c % THIN_HISTORY_EVERY === 0,
    }, images));
  }
  resources.push(...otherWork(random, {
    referrals: options.otherReferrals ?? options.cases * OTHER_REFERRALS_PER_CASE,
    unreferredPatients: options.unreferredPatients ?? options.cases * UNREFERRED_PATIENTS_PER_CASE,
    practices, now: options.now,
    dermPatients: resources.filter((r) => r.resourceType === 'Patient').map((r) => r.id as string),
  }));
  return { resources, images };
}
