import { describe, expect, it } from 'vitest';
import { isOlderThanHeld, isSameVersion, type SeenVersion } from '../../electron/services/db/sync-ledger';
import { changesSince } from '../../electron/services/sync/pull-sync';
import { sortPage } from '../../electron/services/sync/sorted-page';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { addressedTo, ID_CHARS_PER_SEARCH, idChars, IDS_PER_SEARCH, inGroups, referralForTheService, searchOf, SHORT_ID_CHARS_PER_SEARCH } from '../../electron/services/sync/scope';
import { createServerLimits } from '../../electron/services/sync/server-limits';
import { createIdSearches } from '../../electron/services/sync/id-searches';
import { FhirRequestError } from '../../electron/services/fhir/fhir-client';

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

describe('the searches of a sync', () => {
  it('asks for every change the first time, and from the overlap window before the checkpoint after', () => {
    expect(changesSince(null, 300_000)).toBeNull();
    expect(changesSince('2026-11-25T12:00:00.000Z', 300_000)).toBe('2026-11-25T11:55:00.000Z');
  });

  it.each([
    { type: 'ServiceRequest', params: [['performer', 'HealthcareService/derm']] as const, since: null, want: 'ServiceRequest?performer=HealthcareService%2Fderm&_sort=_lastUpdated&_count=500' },
    { type: 'Media', params: [['based-on:ServiceRequest.performer', 'HealthcareService/derm']] as const, since: '2026-11-25T11:55:00.000Z',
      want: 'Media?based-on%3AServiceRequest.performer=HealthcareService%2Fderm&_lastUpdated=ge2026-11-25T11%3A55%3A00.000Z&_sort=_lastUpdated&_count=500' },
    { type: 'Patient', params: [['_id', 'a,b']] as const, since: null, want: 'Patient?_id=a%2Cb&_sort=_lastUpdated&_count=500' },
  ])('$type: one type a search, sorted by lastUpdated and paged', ({ type, params, since, want }) => {
    expect(searchOf(type, params, since)).toBe(want);
  });

  it.each([
    { performer: [{ reference: 'HealthcareService/derm' }], addressed: true },
    { performer: [{ reference: 'https://fhir.trust.example/R4/HealthcareService/derm' }], addressed: true },
    { performer: [{ reference: 'https://another.example/R4/HealthcareService/derm' }], addressed: false },
    { performer: [{ reference: 'Organization/cardiology' }, { reference: 'HealthcareService/derm' }], addressed: true },
    { performer: [{ reference: 'HealthcareService/derm-paediatric' }], addressed: false },
    { performer: [{ reference: 'HealthcareService/xderm' }], addressed: false },
    { performer: [{ display: 'Dermatology' }], addressed: false },
    { performer: 'HealthcareService/derm', addressed: false },
    { addressed: false },
  ])('addressed to HealthcareService/derm: $addressed for performer $performer', ({ performer, addressed }) => {
    expect(addressedTo({ resourceType: 'ServiceRequest', performer }, 'HealthcareService/derm', 'https://fhir.trust.example/R4')).toBe(addressed);
  });

  it.each([
    { identifier: undefined, referral: true, what: 'no identifier' },
    { identifier: [{ system: 'https://fhir.nhs.uk/Id/UBRN', value: '000000000001' }], referral: true, what: 'an e-RS booking reference' },
    { identifier: [{ system: DESK_IDENTIFIER_SYSTEM.onwardRequest, value: 'o1' }], referral: false, what: "the desk's own onward request" },
    { identifier: [{ system: 'https://fhir.nhs.uk/Id/UBRN', value: '1' }, { system: DESK_IDENTIFIER_SYSTEM.outcome, value: 'o1' }], referral: false, what: 'any identifier of the desk among others' },
    { identifier: 'not a list', referral: true, what: 'an unreadable identifier (the mapping judges it)' },
  ])('a ServiceRequest to the service with $what is a referral to review: $referral', ({ identifier, referral }) => {
    const request = { resourceType: 'ServiceRequest', performer: [{ reference: 'HealthcareService/derm' }], identifier };
    expect(referralForTheService(request, 'HealthcareService/derm', 'https://fhir.trust.example/R4')).toBe(referral);
  });

  it('asks for ids in groups a URL can carry: two hundred at most, and some six thousand characters, or fewer when told', () => {
    const ids = (n: number, length = 8): string[] => Array.from({ length: n }, (_, i) => String(i).padStart(length, '0'));
    expect(inGroups(ids(2 * IDS_PER_SEARCH + 50)).map((g) => g.length)).toEqual([IDS_PER_SEARCH, IDS_PER_SEARCH, 50]);
    expect(inGroups([])).toEqual([]);
    // 64-character ids written as references: far fewer fit.
    const asReference = (id: string): string => `ServiceRequest/${id}`;
    const long = inGroups(ids(300, 64), asReference);
    expect(long.length).toBeGreaterThan(3);
    for (const group of long) expect(encodeURIComponent(group.map(asReference).join(',')).length).toBeLessThanOrEqual(ID_CHARS_PER_SEARCH);
    expect(long.flat()).toEqual(ids(300, 64));
    // A server that takes less: shorter groups, each within what it takes, nothing lost.
    const short = inGroups(ids(300, 64), asReference, SHORT_ID_CHARS_PER_SEARCH);
    expect(short.length).toBeGreaterThan(long.length);
    for (const group of short) expect(idChars(group, asReference)).toBeLessThanOrEqual(SHORT_ID_CHARS_PER_SEARCH);
    expect(short.flat()).toEqual(ids(300, 64));
  });
});

describe('searches by ids on a server that refuses long addresses', () => {
  const refused = (status: number): FhirRequestError => new FhirRequestError(`GET /Patient answered ${status}`, 'status', status);
  /** Runs the searches against a "server" that refuses any address longer than `takes`, and says what was searched for. */
  const run = async (ids: string[], takes: number, status = 414) => {
    const said: string[][] = [];
    const limits = createServerLimits({ read: () => Promise.reject(new Error('not read here')) }, (messages) => said.push(messages));
    const { groupsOf, byIds } = createIdSearches(limits);
    const asked: string[][] = [];
    for (const group of groupsOf(ids)) {
      await byIds(group, undefined, async (part) => {
        if (idChars(part) > takes) throw refused(status);
        asked.push(part);
      });
    }
    return { asked, said, limits };
  };
  const ids = Array.from({ length: 600 }, (_, i) => `patient-${String(i).padStart(12, '0')}`);

  it.each([
    { takes: 100_000, status: 414, halves: false, what: 'a server that takes every address' },
    { takes: 3000, status: 414, halves: true, what: 'a server that answers 414 past 3,000 characters' },
    { takes: 2000, status: 400, halves: true, what: 'a server that answers 400 past 2,000 characters' },
  ])('$what: every id asked for once, and it is said once when shorter searches were needed', async ({ takes, status, halves }) => {
    const { asked, said, limits } = await run(ids, takes, status);
    expect(asked.flat().sort()).toEqual([...ids].sort());
    for (const group of asked) expect(idChars(group)).toBeLessThanOrEqual(takes);
    expect(limits.idChars() < ID_CHARS_PER_SEARCH).toBe(halves);
    expect(said.filter((messages) => messages.some((m) => /refuses long search addresses/.test(m)))).toHaveLength(halves ? 1 : 0);
  });

  it('does not split what is refused for another reason, nor below the length every server takes', async () => {
    await expect(run(ids, 100_000, 414).then(() => undefined)).resolves.toBeUndefined();
    const limits = createServerLimits({ read: () => Promise.reject(new Error('not read here')) }, () => undefined);
    const { byIds } = createIdSearches(limits);
    await expect(byIds(ids.slice(0, 10), undefined, () => Promise.reject(refused(404)))).rejects.toThrow('answered 404');
    // Short already: a 400 here means something else, and is thrown as it is.
    await expect(byIds(ids.slice(0, 10), undefined, () => Promise.reject(refused(400)))).rejects.toThrow('answered 400');
    expect(limits.idChars()).toBe(ID_CHARS_PER_SEARCH);
  });
});

describe('sorting a page', () => {
  const task = (id: string, versionId: string, lastUpdated: string, focus = 'ServiceRequest/ref-1'): object => ({
    resourceType: 'Task', id, meta: { versionId, lastUpdated }, status: 'requested', intent: 'order', focus: { reference: focus },
  });

  it('drops repeats, maps new versions, quarantines the unreadable, and finds the newest stamp', () => {
    const page = {
      servedAt: null, answeredAt: null,
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

  it.each([
    ['newer first', [['t1', '2', '2026-11-25T11:00:00Z'], ['t1', '1', '2026-11-25T10:00:00Z']], '2'],
    ['newer last', [['t1', '1', '2026-11-25T10:00:00Z'], ['t1', '2', '2026-11-25T11:00:00Z']], '2'],
    ['the same time: the higher version', [['t1', '3', '2026-11-25T10:00:00Z'], ['t1', '2', '2026-11-25T10:00:00Z']], '3'],
    ['offsets compared as instants', [['t1', 'b', '2026-11-25T11:30:00+01:00'], ['t1', 'a', '2026-11-25T10:00:00Z']], 'b'],
    ['nothing to tell them apart: the later in the page', [['t1', 'x', 'no time'], ['t1', 'y', 'no time']], 'y'],
  ])('writes only the latest of one resource sent twice in a page: %s', (_case, sent, kept) => {
    const page = { servedAt: null, answeredAt: null, resources: sent.map(([id, version, at]) => task(id as string, version as string, at as string)), texts: sent.map(() => null) };
    const sorted = sortPage(page, { alreadyHeld: () => new Set() });
    expect(sorted.records.map((r) => r.row.versionId)).toEqual([kept]);
    expect(sorted.seen.map((v) => v.versionId)).toEqual([kept]);
    expect(sorted.repeats).toBe(1);
  });

  it('quarantines each unreadable entry, however many have no id', () => {
    const sorted = sortPage({ servedAt: null, answeredAt: null, resources: ['junk', 42, { resourceType: 'Task' }], texts: [null, null, null] }, { alreadyHeld: () => new Set() });
    expect(sorted.problems).toHaveLength(3);
  });

  it('keeps a questionnaire as the server sent it when the page has its text, and writes it out when not', () => {
    const sent = ['{ "resourceType": "QuestionnaireResponse", "id": "q1", "meta": {"versionId": "1"}, "status": "completed", "basedOn": [{"reference": "ServiceRequest/ref-1"}] }'];
    const withText = sortPage({ servedAt: null, answeredAt: null, resources: sent.map((text) => JSON.parse(text) as unknown), texts: sent }, { alreadyHeld: () => new Set() });
    expect(withText.records[0]?.row).toMatchObject({ raw: sent[0] });
    const without = sortPage({ servedAt: null, answeredAt: null, resources: sent.map((text) => JSON.parse(text) as unknown), texts: [null] }, { alreadyHeld: () => new Set() });
    expect(without.records[0]?.row).toMatchObject({ raw: JSON.stringify(JSON.parse(sent[0]!)) });
    const unreadable = '{"resourceType": "Task", "id": "t2"}';
    const quarantined = sortPage({ servedAt: null, answeredAt: null, resources: [JSON.parse(unreadable) as unknown], texts: [unreadable] }, { alreadyHeld: () => new Set() });
    expect(quarantined.problems[0]?.raw).toBe(unreadable);
  });
});
