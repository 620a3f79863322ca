/**
 * A QuestionnaireResponse as the consultant reads it: each question with its answer in words,
 * the questions of a group after it. Read when the referral is synced, so that one the desk
 * cannot read is quarantined with the reason (and the case opens without it), never met first
 * when the consultant opens the case; and read again, defensively, when the case opens.
 */
import type { QuestionnaireAnswer } from '../../../shared/domain/referral';

/** A response that cannot be read as questions and answers, and why. */
export class QuestionnaireUnreadable extends Error {}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Groups within groups, at most this deep: deeper is not a questionnaire a GP filled in. */
const MAX_DEPTH = 8;

/** The answer in words; one the desk cannot show is refused, naming its question. */
function answerText(answer: unknown, question: string): string | null {
  if (answer === undefined) return null;
  if (!isObject(answer)) throw new QuestionnaireUnreadable(`the answer to "${question}" is not an answer`);
  const wrong = (type: string): never => {
    throw new QuestionnaireUnreadable(`the answer to "${question}" is not ${type}`);
  };
  if ('valueBoolean' in answer) return typeof answer.valueBoolean === 'boolean' ? (answer.valueBoolean ? 'Yes' : 'No') : wrong('yes or no');
  for (const key of ['valueString', 'valueDate', 'valueDateTime', 'valueTime', 'valueUri']) {
    if (key in answer) return typeof answer[key] === 'string' ? answer[key] : wrong('text');
  }
  for (const key of ['valueInteger', 'valueDecimal']) {
    if (key in answer) return typeof answer[key] === 'number' && Number.isFinite(answer[key]) ? String(answer[key]) : wrong('a number');
  }
  if ('valueCoding' in answer) {
    const coding = answer.valueCoding;
    if (!isObject(coding)) return wrong('a coded answer');
    const text = coding.display ?? coding.code;
    return typeof text === 'string' ? text : wrong('a coded answer with a display or code');
  }
  if ('valueQuantity' in answer) {
    const quantity = answer.valueQuantity;
    if (!isObject(quantity) || typeof quantity.value !== 'number') return wrong('a quantity');
    return [String(quantity.value), typeof quantity.unit === 'string' ? quantity.unit : ''].join(' ').trim();
  }
  // An answer of a kind the desk does not show (an attachment, a reference): said, not dropped.
  return '(an answer the desk cannot show)';
}

function readItems(items: unknown, depth: number, into: QuestionnaireAnswer[]): void {
  if (items === undefined) return;
  if (!Array.isArray(items)) throw new QuestionnaireUnreadable('its items are not a list');
  if (depth > MAX_DEPTH) throw new QuestionnaireUnreadable(`its groups are nested more than ${MAX_DEPTH} deep`);
  for (const item of items) {
    if (!isObject(item)) throw new QuestionnaireUnreadable('an item is not an object');
    if (typeof item.linkId !== 'string' || item.linkId === '') throw new QuestionnaireUnreadable('an item has no linkId');
    if (item.text !== undefined && typeof item.text !== 'string') throw new QuestionnaireUnreadable(`the text of item ${item.linkId} is not text`);
    const question = (item.text) ?? item.linkId;
    if (item.answer !== undefined && !Array.isArray(item.answer)) throw new QuestionnaireUnreadable(`the answers to "${question}" are not a list`);
    const answers = (item.answer as unknown[] | undefined) ?? [];
    // A group (items, no answer of its own) is not a question: its questions follow.
    if (answers.length > 0 || item.item === undefined) {
      const texts = answers.map((a) => answerText(a, question)).filter((t): t is string => t !== null);
      into.push({ linkId: item.linkId, question, answer: texts.length > 0 ? texts.join('; ') : null });
    }
    readItems(item.item, depth + 1, into);
    // Questions asked because of an answer hang under that answer.
    for (const answer of answers) if (isObject(answer)) readItems(answer.item, depth + 1, into);
  }
}

/** Each question with its answer in words; throws QuestionnaireUnreadable with the reason. */
export function questionnaireAnswers(response: unknown): QuestionnaireAnswer[] {
  if (!isObject(response)) throw new QuestionnaireUnreadable('it is not a resource');
  const answers: QuestionnaireAnswer[] = [];
  readItems(response.item, 0, answers);
  return answers;
}
