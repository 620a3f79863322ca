/**
 * Working diagnoses the desk can code in SNOMED CT. Only codes checked against published sources
 * are listed; anything else is written as free text until its code is confirmed.
 */
export interface CodedDiagnosis {
  code: string;
  display: string;
}

export const SNOMED_CT = 'http://snomed.info/sct';

export const DIAGNOSES: readonly CodedDiagnosis[] = [
  { code: '254701007', display: 'Basal cell carcinoma of skin' },
  { code: '254651007', display: 'Squamous cell carcinoma of skin' },
  { code: '201101007', display: 'Actinic keratosis' },
  { code: '400096001', display: 'Melanocytic naevus' },
  { code: '189758001', display: 'Melanoma in situ' },
  { code: '72100002', display: 'Solar lentigo' },
];

/** Diagnoses whose words start with what has been typed, in list order. */
export function searchDiagnoses(typed: string): CodedDiagnosis[] {
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return DIAGNOSES.filter((d) => {
    const target = d.display.toLowerCase().split(/\s+/);
    return words.every((w) => target.some((t) => t.startsWith(w)));
  });
}

export function diagnosisByCode(code: string): CodedDiagnosis | undefined {
  return DIAGNOSES.find((d) => d.code === code);
}
