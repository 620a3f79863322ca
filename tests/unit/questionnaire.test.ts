import { describe, expect, it } from 'vitest';
import { mapResource, MappingError } from '../../electron/services/fhir/case-mapping';
import { questionnaireAnswers, QuestionnaireUnreadable } from '../../electron/services/fhir/questionnaire';

const response = (item: unknown): unknown => ({
  resourceType: 'QuestionnaireResponse', id: 'qr-1', status: 'completed', basedOn: [{ reference: 'ServiceRequest/ref-1' }], item,
});

describe("the GP's questionnaire, in words", () => {
  it.each([
    ['yes or no', [{ linkId: 'a', text: 'Changed?', answer: [{ valueBoolean: true }] }], [['Changed?', 'Yes']]],
    ['text, a number, a date', [
      { linkId: 'a', text: 'Where?', answer: [{ valueString: 'left forearm' }] },
      { linkId: 'b', text: 'Size (mm)', answer: [{ valueDecimal: 6.5 }] },
      { linkId: 'c', text: 'Noticed', answer: [{ valueDate: '2026-09' }] },
    ], [['Where?', 'left forearm'], ['Size (mm)', '6.5'], ['Noticed', '2026-09']]],
    ['a code, by its display', [{ linkId: 'a', text: 'Skin type', answer: [{ valueCoding: { code: 'II', display: 'Fitzpatrick II' } }] }], [['Skin type', 'Fitzpatrick II']]],
    ['a quantity with its unit', [{ linkId: 'a', text: 'Diameter', answer: [{ valueQuantity: { value: 7, unit: 'mm' } }] }], [['Diameter', '7 mm']]],
    ['several answers, all of them', [{ linkId: 'a', text: 'Symptoms', answer: [{ valueString: 'itch' }, { valueString: 'bleeding' }] }], [['Symptoms', 'itch; bleeding']]],
    ['no answer', [{ linkId: 'a', text: 'Family history?' }], [['Family history?', null]]],
    ['no text: the linkId', [{ linkId: 'duration', answer: [{ valueString: '3 months' }] }], [['duration', '3 months']]],
    ['a group: its questions, not the group', [{ linkId: 'g', text: 'History', item: [{ linkId: 'g.1', text: 'Since when?', answer: [{ valueString: 'spring' }] }] }], [['Since when?', 'spring']]],
    ['a question asked because of an answer', [{ linkId: 'a', text: 'Bled?', answer: [{ valueBoolean: true, item: [{ linkId: 'a.1', text: 'How often?', answer: [{ valueString: 'weekly' }] }] }] }], [['Bled?', 'Yes'], ['How often?', 'weekly']]],
    ['an attachment: said, not dropped', [{ linkId: 'a', text: 'Letter', answer: [{ valueAttachment: { url: 'Binary/x' } }] }], [['Letter', '(an answer the desk cannot show)']]],
    ['no items at all', undefined, []],
  ])('%s', (_what, item, expected) => {
    expect(questionnaireAnswers(response(item)).map((a) => [a.question, a.answer])).toEqual(expected);
  });

  it.each([
    ['items that are an object, not a list', { linkId: 'a' }, /its items are not a list/],
    ['an item that is not an object', ['a'], /an item is not an object/],
    ['an item without a linkId', [{ text: 'Where?' }], /an item has no linkId/],
    ['a question that is not text', [{ linkId: 'a', text: { div: '<b>x</b>' } }], /the text of item a is not text/],
    ['answers that are not a list', [{ linkId: 'a', text: 'Where?', answer: { valueString: 'arm' } }], /the answers to "Where\?" are not a list/],
    ['an answer that is an object where text belongs', [{ linkId: 'a', text: 'Where?', answer: [{ valueString: { text: 'arm' } }] }], /the answer to "Where\?" is not text/],
    ['yes or no written as text', [{ linkId: 'a', text: 'Changed?', answer: [{ valueBoolean: 'yes' }] }], /is not yes or no/],
    ['an answer that is not an object', [{ linkId: 'a', text: 'Where?', answer: ['arm'] }], /is not an answer/],
    ['a number that is not one', [{ linkId: 'a', text: 'Size', answer: [{ valueInteger: '7' }] }], /is not a number/],
  ])('refuses %s, saying why', (_what, item, reason) => {
    expect(() => questionnaireAnswers(response(item))).toThrow(QuestionnaireUnreadable);
    expect(() => questionnaireAnswers(response(item))).toThrow(reason);
    // At sync, the response is quarantined with the reason: the case opens without it.
    expect(() => mapResource(response(item))).toThrow(MappingError);
    expect(() => mapResource(response(item))).toThrow(/the GP's questionnaire cannot be read/);
  });

  it('refuses groups nested deeper than any questionnaire a GP fills in', () => {
    let item: unknown = [{ linkId: 'leaf', answer: [{ valueString: 'x' }] }];
    for (let depth = 0; depth < 20; depth++) item = [{ linkId: `g${depth}`, item }];
    expect(() => questionnaireAnswers(response(item))).toThrow(/nested more than/);
  });
});
