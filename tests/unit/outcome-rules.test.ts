import { describe, expect, it } from 'vitest';
import { searchDiagnoses } from '../../shared/outcome/diagnoses';
import { draftOf, EMPTY_DRAFT, toOutcome, type OutcomeDraft } from '../../shared/outcome/outcome';
import { kindForKey, OUTCOME_KIND, OUTCOME_KINDS } from '../../shared/outcome/outcome-kinds';
import { fieldsFor, isDowngrade, validateOutcome, type OutcomeContext } from '../../shared/outcome/rules';
import { BUILT_IN_TEMPLATES } from '../../shared/outcome/templates';
import { targetDate } from '../../shared/outcome/urgency';

const routine: OutcomeContext = { referrerPriority: 'routine', hospitalReferralConsent: true, withdrawn: false };
const usc: OutcomeContext = { ...routine, referrerPriority: 'urgent-suspected-cancer' };
const noConsent: OutcomeContext = { ...routine, hospitalReferralConsent: false };
const unknownConsent: OutcomeContext = { ...routine, hospitalReferralConsent: null };

const draft = (kind: OutcomeDraft['kind'], fields: OutcomeDraft['fields']): OutcomeDraft => ({ kind, diagnosisCode: null, fields: { diagnosis: 'Seborrhoeic keratosis', ...fields } });

const complete: Record<string, OutcomeDraft> = {
  'no-action': draft('no-action', { adviceToGp: 'Reassure.' }),
  investigations: draft('investigations', { investigations: 'Skin scrapings for mycology' }),
  treatment: draft('treatment', { treatmentWhat: 'Mometasone ointment', treatmentHow: 'Once daily', treatmentDuration: '2 weeks' }),
  clinic: draft('clinic', { urgency: 'routine', clinicType: 'general' }),
  biopsy: draft('biopsy', { urgency: 'urgent', biopsySite: 'Left shin', biopsyType: 'punch' }),
  'onward-referral': draft('onward-referral', { department: 'plastics-ent', onwardReason: 'Nasal tip: flap repair likely', urgency: 'urgent' }),
  community: draft('community', { communityReason: 'Cryotherapy for viral warts' }),
  'return-to-referrer': draft('return-to-referrer', { returnReason: 'images-out-of-focus', resend: 'Focused close-up' }),
};

const messages = (d: OutcomeDraft, c: OutcomeContext): string[] => validateOutcome(d, c).map((e) => `${e.field}: ${e.message}`);

describe('outcome rules', () => {
  it.each(OUTCOME_KINDS.map((k) => [k]))('a complete %s outcome on a routine referral with consent signs', (kind) => {
    expect(validateOutcome(complete[kind]!, routine)).toEqual([]);
  });

  it.each([
    ['no kind chosen', EMPTY_DRAFT, routine, ['kind: Choose an outcome (keys 1 to 8).']],
    ['no diagnosis', { ...complete['no-action']!, fields: { adviceToGp: 'x' } }, routine, ['diagnosis: Working diagnosis is needed for no action.']],
    ['no action without advice', draft('no-action', {}), routine, ['adviceToGp: Advice to the GP is needed for no action.']],
    ['biopsy without site or type', draft('biopsy', { urgency: 'routine' }), routine, [
      'biopsySite: Biopsy site is needed for skin biopsy.',
      'biopsyType: Biopsy type is needed for skin biopsy.',
    ]],
    ['onward referral without department or reason', draft('onward-referral', { urgency: 'routine' }), routine, [
      'department: Department is needed for onward referral.',
      'onwardReason: Reason (location or size) is needed for onward referral.',
    ]],
    ['return without reason or what to resend', draft('return-to-referrer', {}), routine, [
      'returnReason: Why it is returned is needed for return to referrer.',
      'resend: What to send again is needed for return to referrer.',
    ]],
    ['clinic without urgency', draft('clinic', { clinicType: 'general' }), routine, ['urgency: Urgency is needed for dermatology clinic.']],
    ['a choice that is not offered', draft('biopsy', { urgency: 'soon', biopsySite: 'x', biopsyType: 'laser' }), routine, [
      'urgency: Urgency: choose one of the options, not "soon".',
      'biopsyType: Biopsy type: choose one of the options, not "laser".',
    ]],
  ] as const)('refuses %s, naming the field', (_what, d, c, expected) => {
    expect(messages(d, c)).toEqual(expected);
  });

  describe('consent to a hospital appointment', () => {
    it.each([
      ['clinic', noConsent, /^kind: The patient has not consented to the hospital arranging an appointment\. Advise the GP instead/],
      ['biopsy', noConsent, /has not consented/],
      ['onward-referral', noConsent, /has not consented/],
      ['clinic', unknownConsent, /There is no record of the patient consenting/],
    ] as const)('%s needs it (%o)', (kind, context, message) => {
      const errors = messages(complete[kind]!, context);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
    });

    it.each(['no-action', 'investigations', 'treatment', 'community', 'return-to-referrer'] as const)('%s does not', (kind) => {
      expect(validateOutcome(complete[kind]!, noConsent)).toEqual([]);
    });
  });

  describe('downgrading an urgent suspected cancer referral', () => {
    it.each([
      ['clinic within two weeks', draft('clinic', { urgency: 'two-week', clinicType: 'pigmented-lesion' }), false],
      ['clinic, routine', complete.clinic!, true],
      ['biopsy, urgent', complete.biopsy!, true],
      ['no action', complete['no-action']!, true],
      ['treatment', complete.treatment!, true],
      ['return to referrer (the referrer decides)', complete['return-to-referrer']!, false],
    ] as const)('%s is a downgrade: %s', (_what, d, downgrade) => {
      expect(isDowngrade(d, usc)).toBe(downgrade);
      expect(isDowngrade(d, routine)).toBe(false);
      const errors = messages(d, usc);
      expect(errors).toEqual(downgrade ? [`downgradeReason: Why the urgent suspected cancer referral is downgraded is needed for ${OUTCOME_KIND[d.kind!].label.toLowerCase()}.`] : []);
      expect(fieldsFor(d, usc).required.includes('downgradeReason')).toBe(downgrade);
    });

    it('signs once the reason is recorded', () => {
      expect(validateOutcome({ ...complete.clinic!, fields: { ...complete.clinic!.fields, downgradeReason: 'Dermoscopy shows a benign seborrhoeic keratosis' } }, usc)).toEqual([]);
    });
  });

  it('refuses anything for a withdrawn referral', () => {
    expect(messages(complete['no-action']!, { ...routine, withdrawn: true })).toEqual(['kind: The referrer has withdrawn this referral: nothing can be sent for it.']);
  });
});

describe('what goes with the rules', () => {
  it.each([
    ['2026-11-25', 'two-week', '2026-12-09'],
    ['2026-11-25', 'urgent', '2027-01-06'],
    ['2026-11-25', 'routine', '2027-03-31'],
    ['2027-02-20', 'two-week', '2027-03-06'],
  ] as const)('signed %s, %s: seen by %s', (signed, urgency, by) => {
    expect(targetDate(signed, urgency)).toBe(by);
  });

  it.each([
    ['mel', ['Melanocytic naevus', 'Melanoma in situ']],
    ['bas cell', ['Basal cell carcinoma of skin']],
    ['carcinoma', ['Basal cell carcinoma of skin', 'Squamous cell carcinoma of skin']],
    ['', []],
    ['zzz', []],
  ])('searching diagnoses for "%s"', (typed, found) => {
    expect(searchDiagnoses(typed).map((d) => d.display)).toEqual(found);
  });

  it('picks kinds by the number keys 1 to 8', () => {
    expect(OUTCOME_KINDS.map((k) => kindForKey(OUTCOME_KIND[k].key))).toEqual([...OUTCOME_KINDS]);
    expect(kindForKey('9')).toBeUndefined();
  });

  it('gives every built-in template its own key and a draft that signs on a routine referral', () => {
    expect(new Set(BUILT_IN_TEMPLATES.map((t) => t.key)).size).toBe(BUILT_IN_TEMPLATES.length);
    for (const template of BUILT_IN_TEMPLATES) expect(validateOutcome(template.draft, routine), template.id).toEqual([]);
  });
});

describe('the outcome model, a union discriminated by kind', () => {
  it('keeps only the fields of the chosen kind: what was typed for another kind is not signed', () => {
    const changedMind: OutcomeDraft = {
      kind: 'no-action',
      diagnosisCode: null,
      fields: { diagnosis: ' Seborrhoeic keratosis ', adviceToGp: 'Reassure', clinicType: 'surgical', urgency: 'routine', biopsySite: 'back' },
    };
    expect(toOutcome(changedMind)).toEqual({ kind: 'no-action', diagnosis: 'Seborrhoeic keratosis', diagnosisCode: null, adviceToGp: 'Reassure' });
    expect(draftOf(toOutcome(changedMind)!)).toEqual({ kind: 'no-action', diagnosisCode: null, fields: { diagnosis: 'Seborrhoeic keratosis', adviceToGp: 'Reassure' } });
  });

  it.each(OUTCOME_KINDS.map((k) => [k]))('turns every complete %s draft into an outcome of that kind, and back', (kind) => {
    const outcome = toOutcome(complete[kind]!);
    expect(outcome?.kind).toBe(kind);
    expect(toOutcome(draftOf(outcome!))).toEqual(outcome);
  });

  it.each([
    ['no kind', EMPTY_DRAFT],
    ['a required field missing', draft('biopsy', { urgency: 'urgent', biopsySite: 'shin' })],
    ['a blank diagnosis', { ...complete.community!, fields: { ...complete.community!.fields, diagnosis: '   ' } }],
  ])('is not an outcome with %s', (_what, d) => {
    expect(toOutcome(d)).toBeNull();
  });
});
