import { describe, expect, it } from 'vitest';
import { outcomeText } from '../../electron/services/fhir/fhir-client';
import { isFinalRefusal, refusalProblem } from '../../electron/services/outcomes/outbox-sender';

describe('a refusal sending again would not change', () => {
  it.each([
    [400, true], [413, true], [415, true], [422, true],
    // What a proxy or a missing permission answers for every outcome alike: retried until fixed.
    [403, false], [404, false], [405, false],
    [401, false], [408, false], [409, false], [412, false], [429, false],
    [500, false], [503, false], [200, false], [null, false],
  ])('%s: %s', (status, final) => {
    expect(isFinalRefusal(status)).toBe(final);
  });

  it("says the server's reason, or that it gave none", () => {
    expect(refusalProblem(422, 'Task.output: unknown code')).toBe('The server refused this outcome (422: Task.output: unknown code). It was not sent.');
    expect(refusalProblem('400 Bad Request', null)).toBe('The server refused this outcome (400 Bad Request, with no reason given). It was not sent.');
  });
});

describe("what an error answer's OperationOutcome says", () => {
  const body = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  it.each([
    ['diagnostics', { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Communication.status: required' }] }, 'Communication.status: required'],
    ['details text when there are no diagnostics', { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'Unknown code' } }] }, 'Unknown code'],
    ['each issue, joined', { resourceType: 'OperationOutcome', issue: [{ diagnostics: 'first' }, { details: { text: 'second' } }] }, 'first; second'],
    ['control characters as spaces', { resourceType: 'OperationOutcome', issue: [{ diagnostics: 'line one\nline\u0000two' }] }, 'line one line two'],
    ['nothing from an issue without words', { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] }, null],
    ['nothing from another resource', { resourceType: 'Bundle' }, null],
    ['nothing from HTML', '<html>Bad gateway</html>', null],
    ['nothing from an empty body', '', null],
  ])('%s', (_what, value, said) => {
    expect(outcomeText(body(value))).toBe(said);
  });

  it('keeps the reason short: a message, not a stack trace', () => {
    const said = outcomeText(body({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'x'.repeat(5000) }] }));
    expect(said).toHaveLength(500);
  });
});
