import type { ServiceRequest, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { OutcomeDraft, SignedOutcome } from '../../shared/outcome/outcome';
import type { ReferralFacts } from '../../electron/services/db/referral-facts';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { buildOutcomeBundle } from '../../electron/services/fhir/outcome-bundle';

const facts: ReferralFacts = {
  referralId: 'ref-1', patientId: 'pat-1', patientKnown: true, requesterId: 'gp-1', referrerPriority: 'routine', withdrawn: false,
  hospitalReferralConsent: true, taskId: 'task-1', reviewerId: 'consultant-1',
};
const task: Task = { resourceType: 'Task', id: 'task-1', meta: { versionId: '7' }, status: 'in-progress', intent: 'order' };

function outcome(draft: OutcomeDraft, targetDate: string | null = null): SignedOutcome {
  return {
    outcomeId: '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b', referralId: 'ref-1', kind: draft.kind!, draft, signedAt: '2026-11-25T10:00:00.000Z',
    signedBy: 'consultant-1', targetDate, undoUntil: '2026-11-25T10:00:10.000Z', state: 'queued', problem: null, sentAt: null,
  };
}

const build = (o: SignedOutcome) => buildOutcomeBundle({ outcome: o, facts, task, reviewerId: 'consultant-1', signerName: 'Dr A Okonkwo' });
const f = (fields: OutcomeDraft['fields']): OutcomeDraft['fields'] => ({ diagnosis: 'Lesion', ...fields });

describe('an outcome as a FHIR transaction', () => {
  it.each([
    ['no action', { kind: 'no-action', diagnosisCode: null, fields: f({ adviceToGp: 'Reassure' }) }, null],
    ['treatment', { kind: 'treatment', diagnosisCode: null, fields: f({ treatmentWhat: 'x', treatmentHow: 'y', treatmentDuration: 'z' }) }, null],
    ['return to referrer', { kind: 'return-to-referrer', diagnosisCode: null, fields: f({ returnReason: 'no-dermoscopy', resend: 'x' }) }, null],
    ['clinic, two weeks', { kind: 'clinic', diagnosisCode: null, fields: f({ urgency: 'two-week', clinicType: 'general' }) }, ['dermatology-clinic', 'asap']],
    ['biopsy, urgent', { kind: 'biopsy', diagnosisCode: null, fields: f({ urgency: 'urgent', biopsySite: 'shin', biopsyType: 'punch' }) }, ['dermatology-biopsy', 'urgent']],
    ['plastics', { kind: 'onward-referral', diagnosisCode: null, fields: f({ department: 'plastics-ent', onwardReason: 'nose', urgency: 'routine' }) }, ['plastics-ent', 'routine']],
    ['general surgery', { kind: 'onward-referral', diagnosisCode: null, fields: f({ department: 'general-surgery', onwardReason: 'size', urgency: 'urgent' }) }, ['general-surgery', 'urgent']],
    ['community', { kind: 'community', diagnosisCode: null, fields: f({ communityReason: 'warts' }) }, ['community-dermatology', 'routine']],
  ] as const)('%s: opinion, %j, task completed', (_what, draft, onward) => {
    const bundle = build(outcome(draft, '2026-12-09'));
    const kinds = bundle.entry?.map((e) => `${e.request?.method} ${e.request?.url}`);
    expect(kinds).toEqual(['POST Communication', ...(onward ? ['POST ServiceRequest'] : []), 'PUT Task/task-1']);
    const request = bundle.entry?.find((e) => e.resource?.resourceType === 'ServiceRequest')?.resource as ServiceRequest | undefined;
    expect(request ? [request.category?.[0]?.coding?.[0]?.code, request.priority] : null).toEqual(onward);
  });

  it('creates conditionally on the outcome id and completes the task only at the version read', () => {
    const bundle = build(outcome({ kind: 'clinic', diagnosisCode: '254701007', fields: f({ urgency: 'routine', clinicType: 'surgical' }) }));
    const [communication, request, completed] = bundle.entry ?? [];
    expect(communication?.request?.ifNoneExist).toBe(`identifier=${DESK_IDENTIFIER_SYSTEM.outcome}|6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b`);
    expect(request?.request?.ifNoneExist).toBe(`identifier=${DESK_IDENTIFIER_SYSTEM.onwardRequest}|6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b`);
    expect(completed?.request?.ifMatch).toBe('W/"7"');
    expect(completed?.resource).toMatchObject({ status: 'completed', owner: { reference: 'Practitioner/consultant-1' } });
    expect((completed?.resource as Task).output?.[0]?.valueReference?.reference).toBe(communication?.fullUrl);
  });

  it('is the same bundle every time it is built, so a resend is the same request', () => {
    const o = outcome({ kind: 'biopsy', diagnosisCode: null, fields: f({ urgency: 'urgent', biopsySite: 'back', biopsyType: 'shave' }) });
    expect(build(o)).toEqual(build(o));
  });
});
