/** A QuestionnaireResponse as the consultant reads it: each question with its answer in words. */
import type { QuestionnaireResponse, QuestionnaireResponseItemAnswer } from '@medplum/fhirtypes';
import type { QuestionnaireAnswer } from '../../../shared/domain/referral';

function answerText(answer: QuestionnaireResponseItemAnswer | undefined): string | null {
  if (!answer) return null;
  if (answer.valueBoolean !== undefined) return answer.valueBoolean ? 'Yes' : 'No';
  if (answer.valueString !== undefined) return answer.valueString;
  if (answer.valueInteger !== undefined) return String(answer.valueInteger);
  if (answer.valueDecimal !== undefined) return String(answer.valueDecimal);
  if (answer.valueDate !== undefined) return answer.valueDate;
  if (answer.valueCoding !== undefined) return answer.valueCoding.display ?? answer.valueCoding.code ?? null;
  return null;
}

export function questionnaireAnswers(response: QuestionnaireResponse): QuestionnaireAnswer[] {
  return (response.item ?? []).map((item) => ({
    linkId: item.linkId,
    question: item.text ?? item.linkId,
    answer: answerText(item.answer?.[0]),
  }));
}
