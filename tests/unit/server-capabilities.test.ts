import { describe, expect, it } from 'vitest';
import { capabilityStatement } from '../../electron/hub/capability-statement';
import { capabilityGaps, readCapabilities } from '../../electron/services/fhir/server-capabilities';

const gapsOf = (statement: unknown) => capabilityGaps(readCapabilities(statement));
const hub = (without: string[] = []) => capabilityStatement('http://127.0.0.1:1', 'http://127.0.0.1:1/fhir', new Set(without));

describe("what a server's CapabilityStatement leaves undone", () => {
  it('finds nothing missing in a statement that offers all the desk uses', () => {
    expect(gapsOf(hub())).toEqual({ cannotScope: false, noChangesSince: false, noStatusSearch: false, noHistory: false, missingParts: [], messages: [] });
  });

  it.each([
    { without: ['ServiceRequest.performer'], gap: { cannotScope: true }, says: /cannot tell its service's work/ },
    { without: ['_lastUpdated'], gap: { noChangesSince: true }, says: /reads all of the service's work again/ },
    { without: ['Consent.data', 'Media.based-on'], gap: { missingParts: ['Consent', 'Media'] }, says: /consents .* cannot be read.*images sent as Media cannot be read/ },
    { without: ['ServiceRequest.status'], gap: { noStatusSearch: true }, says: /reads every referral ever sent to the service and keeps the open ones/ },
    { without: ['ServiceRequest.subject'], gap: { noHistory: true }, says: /earlier referrals cannot be shown/ },
    { without: ['transaction'], gap: {}, says: /cannot take outcomes as one transaction/ },
    { without: ['conditional-create'], gap: {}, says: /could reach the GP twice/ },
    { without: ['if-match'], gap: {}, says: /could claim the same case at once/ },
  ])('without $without', ({ without, gap, says }) => {
    const gaps = gapsOf(hub(without));
    expect(gaps).toMatchObject(gap);
    expect(gaps.messages.join(' ')).toMatch(says);
  });

  it.each([
    { type: 'Communication', says: /does not say it creates Communication resources: no outcome can be sent/ },
    { type: 'ServiceRequest', says: /does not say it creates ServiceRequest resources: an onward referral .* cannot be sent/ },
  ])('says what cannot be sent when the server does not create $type', ({ type, says }) => {
    const statement = hub();
    const rest = statement.rest?.[0];
    const resource = rest?.resource?.map((r) => (r.type === type ? { ...r, interaction: r.interaction?.filter((i) => i.code !== 'create') } : r));
    const messages = gapsOf({ ...statement, rest: [{ ...rest, resource }] }).messages;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(says);
  });

  it.each([null, 'metadata', {}, { rest: 'everything' }, { rest: [{ mode: 'server', resource: 'none' }] }])(
    'takes an unreadable statement (%j) as offering nothing: it will not sync blind',
    (statement) => {
      const gaps = gapsOf(statement);
      expect(gaps.cannotScope).toBe(true);
      expect(gaps.messages.length).toBeGreaterThan(3);
    },
  );

  it('takes search parameters declared once for every type as offered by each', () => {
    const statement = hub(['_lastUpdated']);
    const rest = statement.rest?.[0];
    const everyType = { ...statement, rest: [{ ...rest, mode: 'server', searchParam: [{ name: '_lastUpdated', type: 'date' }] }] };
    expect(gapsOf(everyType).noChangesSince).toBe(false);
    expect(gapsOf(statement).noChangesSince).toBe(true);
  });

  it("reads the server's part of the statement, not a client's", () => {
    const statement = hub();
    const client = { mode: 'client', resource: [] };
    expect(gapsOf({ ...statement, rest: [client, ...(statement.rest ?? [])] }).messages).toEqual([]);
  });
});
