/**
 * A signed outcome as one FHIR transaction: the opinion to the GP (Communication), the new
 * ServiceRequest when the patient must be seen, and the review Task completed. Pure and
 * deterministic: the same outcome always makes the same bundle, and the creates are
 * conditional on the outcome's own identifier, so sending it again creates nothing twice.
 */
import type { Bundle, BundleEntry, Communication, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { SNOMED_CT } from '../../../shared/outcome/diagnoses';
import { outcomeLetter } from '../../../shared/outcome/letter';
import { CHOICES, OUTCOME_KIND, type Destination } from '../../../shared/outcome/outcome-kinds';
import type { SignedOutcome } from '../../../shared/outcome/outcome';
import type { Urgency } from '../../../shared/outcome/urgency';
import type { ReferralFacts } from '../db/referral-facts';
import { DESK_CODE_SYSTEM, DESK_IDENTIFIER_SYSTEM, URGENCY_PRIORITY } from './codes';

const DESTINATION_LABELS: Record<Destination, string> = {
  'dermatology-clinic': 'Dermatology clinic',
  'dermatology-biopsy': 'Dermatology skin biopsy',
  'plastics-ent': 'Plastic surgery (run by ENT)',
  'general-surgery': 'General surgery',
  'community-dermatology': 'Community dermatology service',
};

/** A UUID derived from the outcome id, so the onward request's urn is the same on every send. */
function derivedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function destinationOf(outcome: Pick<SignedOutcome, 'kind' | 'draft'>): Destination | null {
  const destination = OUTCOME_KIND[outcome.kind].destination;
  if (destination !== 'by-department') return destination;
  const department = outcome.draft.fields.department;
  return department === 'plastics-ent' || department === 'general-surgery' ? department : null;
}

export interface OutcomeBundleInput {
  outcome: SignedOutcome;
  facts: ReferralFacts;
  /** The Task as just read from the server: it is completed only if still at this version. */
  task: Task;
  reviewerId: string;
  signerName: string;
}

export function buildOutcomeBundle({ outcome, facts, task, reviewerId, signerName }: OutcomeBundleInput): Bundle {
  const { draft } = outcome;
  const communicationUrn = `urn:uuid:${outcome.outcomeId}`;
  const patient = { reference: `Patient/${facts.patientId}` };
  const referral = { reference: `ServiceRequest/${facts.referralId}` };
  const reviewer = { reference: `Practitioner/${reviewerId}` };
  const diagnosis = {
    text: draft.fields.diagnosis ?? '',
    ...(draft.diagnosisCode ? { coding: [{ system: SNOMED_CT, code: draft.diagnosisCode, display: draft.fields.diagnosis }] } : {}),
  };
  const entries: BundleEntry[] = [];

  const communication: Communication = {
    resourceType: 'Communication',
    identifier: [{ system: DESK_IDENTIFIER_SYSTEM.outcome, value: outcome.outcomeId }],
    status: 'completed',
    category: [{ coding: [{ system: DESK_CODE_SYSTEM.outcomeKind, code: outcome.kind, display: OUTCOME_KIND[outcome.kind].label }] }],
    subject: patient,
    about: [referral],
    ...(facts.requesterId ? { recipient: [{ reference: `Practitioner/${facts.requesterId}` }] } : {}),
    sender: reviewer,
    sent: outcome.signedAt,
    reasonCode: [diagnosis],
    payload: [{ contentString: outcomeLetter(draft, signerName, outcome.targetDate) }],
  };
  entries.push(conditionalCreate(communication, communicationUrn, DESK_IDENTIFIER_SYSTEM.outcome, outcome.outcomeId));

  const destination = destinationOf(outcome);
  if (destination) {
    const urgency = draft.fields.urgency as Urgency | undefined;
    const details = (['clinicType', 'biopsySite', 'biopsyType', 'onwardReason', 'communityReason'] as const)
      .map((field) => {
        const value = draft.fields[field];
        const choices = (CHOICES as Record<string, Record<string, string> | undefined>)[field];
        return value ? (choices?.[value] ?? value) : null;
      })
      .filter((v): v is string => v !== null);
    const onward: ServiceRequest = {
      resourceType: 'ServiceRequest',
      identifier: [{ system: DESK_IDENTIFIER_SYSTEM.onwardRequest, value: outcome.outcomeId }],
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ system: DESK_CODE_SYSTEM.destination, code: destination, display: DESTINATION_LABELS[destination] }] }],
      priority: urgency ? URGENCY_PRIORITY[urgency] : 'routine',
      subject: patient,
      basedOn: [referral],
      requester: reviewer,
      authoredOn: outcome.signedAt,
      reasonCode: [diagnosis],
      ...(outcome.targetDate ? { occurrencePeriod: { end: outcome.targetDate } } : {}),
      ...(details.length ? { note: [{ text: details.join('; ') }] } : {}),
    };
    entries.push(conditionalCreate(onward, `urn:uuid:${derivedUuid(`${outcome.outcomeId}:onward`)}`, DESK_IDENTIFIER_SYSTEM.onwardRequest, outcome.outcomeId));
  }

  const completed: Task = {
    ...task,
    status: 'completed',
    owner: reviewer,
    lastModified: outcome.signedAt,
    businessStatus: { text: OUTCOME_KIND[outcome.kind].label },
    output: [...(task.output ?? []), { type: { text: 'Teledermatology opinion' }, valueReference: { reference: communicationUrn } }],
  };
  delete completed.meta;
  entries.push({
    resource: completed,
    request: { method: 'PUT', url: `Task/${task.id}`, ...(task.meta?.versionId ? { ifMatch: `W/"${task.meta.versionId}"` } : {}) },
  });

  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

function conditionalCreate(resource: Resource, fullUrl: string, system: string, value: string): BundleEntry {
  return { fullUrl, resource, request: { method: 'POST', url: resource.resourceType, ifNoneExist: `identifier=${system}|${value}` } };
}
