import { describe, expect, it } from 'vitest';
import { isOlderThanHeld, isSameVersion, type SeenVersion } from '../../electron/services/db/sync-ledger';
import { changesSince, sortPage } from '../../electron/services/sync/pull-sync';

const v = (versionId: string | null, lastUpdated: string | null): SeenVersion => ({ resourceType: 'Task', id: 't1', versionId, lastUpdated });

describe('same version or not', () => {
  it.each([
    [v('3', 'a'), v('3', 'b'), true, 'versionId decides'],
    [v('3', 'a'), v('4', 'a'), false, 'a new versionId is new, whatever the time'],
    [v(null, '2026-01-01T00:00:00Z'), v(null, '2026-01-01T00:00:00Z'), true, 'no versionId: lastUpdated decides'],
    [v(null, '2026-01-01T00:00:00Z'), v(null, '2026-01-02T00:00:00Z'), false, 'no versionId, newer time'],
    [v(null, null), v(null, null), false, 'nothing to compare: take it again'],
  ])('%o vs %o: %s (%s)', (held, incoming, same) => {
    expect(isSameVersion(held, incoming)).toBe(same);
  });
});

describe('older than the version held (a page queued before a claim must not undo it)', () => {
  it.each([
    [v('3', '2026-11-25T10:00:05Z'), v('2', '2026-11-25T10:00:01Z'), true, 'stamped earlier'],
    [v('3', '2026-11-25T10:00:05Z'), v('4', '2026-11-25T10:00:09Z'), false, 'stamped later'],
    [v('3', '2026-11-25T10:00:05Z'), v('3', '2026-11-25T10:00:05Z'), false, 'the same instant'],
    [v('3', '2026-11-25T11:00:05+01:00'), v('2', '2026-11-25T10:00:01Z'), true, 'offsets compared as instants'],
    [v('3', '2026-11-25T10:00:05Z'), v('2', '2026-11-25T10:30:00+01:00'), true, '10:30+01:00 is 09:30Z'],
    [v('3', null), v('2', '2026-11-25T10:00:01Z'), false, 'nothing held to compare'],
    [v('3', '2026-11-25T10:00:05Z'), v('2', null), false, 'nothing incoming to compare'],
    [v('3', 'not a time'), v('2', '2026-11-25T10:00:01Z'), false, 'unreadable held stamp'],
  ])('%o then %o: %s (%s)', (held, incoming, older) => {
    expect(isOlderThanHeld(held, incoming)).toBe(older);
  });
});

describe('first URL of a sync', () => {
  it('asks for everything the first time', () => {
    const url = new URL(changesSince('https://fhir.example/R4', null, 300_000));
    expect(url.pathname).toBe('/R4');
    expect(url.searchParams.get('_type')).toBe('Organization,Practitioner,Patient,ServiceRequest,Task,QuestionnaireResponse,Consent,Media,DocumentReference');
    expect(url.searchParams.get('_sort')).toBe('_lastUpdated');
    expect(url.searchParams.has('_lastUpdated')).toBe(false);
  });

  it('asks again from the overlap window before the checkpoint', () => {
    const url = new URL(changesSince('https://fhir.example/R4', '2026-11-25T12:00:00.000Z', 300_000));
    expect(url.searchParams.get('_lastUpdated')).toBe('ge2026-11-25T11:55:00.000Z');
  });
});

describe('sorting a page', () => {
  const task = (id: string, versionId: string, lastUpdated: string, focus = 'ServiceRequest/ref-1'): object => ({
    resourceType: 'Task', id, meta: { versionId, lastUpdated }, status: 'requested', intent: 'order', focus: { reference: focus },
  });

  it('drops repeats, maps new versions, quarantines the unreadable, and finds the newest stamp', () => {
    const page = {
      servedAt: null,
      resources: [
        task('t1', '1', '2026-11-25T10:00:00Z'),
        task('t2', '2', '2026-11-25T11:00:00+01:00'),
        task('t3', '1', '2026-11-25T09:00:00Z', 'Patient/p1'),
        'not a resource',
      ],
      texts: [null, null, null, null],
    };
    const sorted = sortPage(page, { alreadyHeld: () => new Set(['Task/t1']) });
    expect(sorted.repeats).toBe(1);
    expect(sorted.records.map((r) => r.row.id)).toEqual(['t2']);
    expect(sorted.problems.map((p) => [p.id, p.reason])).toEqual([
      ['t3', 'focus should refer to a ServiceRequest, not "Patient/p1"'],
      ['(no id)', 'not a FHIR resource'],
    ]);
    // 11:00+01:00 is 10:00Z: the newest is t1's 10:00Z, even though t1 is a repeat.
    expect(sorted.newest).toBe('2026-11-25T10:00:00.000Z');
    expect(sorted.seen.map((s) => s.id)).toEqual(['t2', 't3', '(no id)']);
  });

  it('keeps each resource as the server sent it when the page has its text, and writes it out when not', () => {
    const sent = ['{ "resourceType": "Task", "id": "t1", "meta": {"versionId": "1"}, "status": "requested", "focus": {"reference": "ServiceRequest/ref-1"} }'];
    const withText = sortPage({ servedAt: null, resources: sent.map((text) => JSON.parse(text) as unknown), texts: sent }, { alreadyHeld: () => new Set() });
    expect(withText.records[0]?.row.raw).toBe(sent[0]);
    const without = sortPage({ servedAt: null, resources: sent.map((text) => JSON.parse(text) as unknown), texts: [null] }, { alreadyHeld: () => new Set() });
    expect(without.records[0]?.row.raw).toBe(JSON.stringify(JSON.parse(sent[0]!)));
    const unreadable = '{"resourceType": "Task", "id": "t2"}';
    const quarantined = sortPage({ servedAt: null, resources: [JSON.parse(unreadable) as unknown], texts: [unreadable] }, { alreadyHeld: () => new Set() });
    expect(quarantined.problems[0]?.raw).toBe(unreadable);
  });
});
