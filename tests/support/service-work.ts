/**
 * What a shared server holds, and which of it is the service's work, worked out from everything
 * on the server by the plain rule (not by the desk's code): referrals whose performer names the
 * service, open ones and the earlier ones of their patients; every resource pointing at those;
 * the patients, GPs, owners and practices they refer to.
 */
import type { Resource } from '@medplum/fhirtypes';
import { createFhirClient } from '../../electron/services/fhir/fhir-client';

export const EVERY_TYPE = ['Organization', 'Practitioner', 'Patient', 'ServiceRequest', 'Task', 'QuestionnaireResponse', 'Consent', 'Media', 'DocumentReference'];

/** A system-level search for all of the server, page by page. */
export const everythingOn = (baseUrl: string): string => `${baseUrl}?_type=${EVERY_TYPE.join(',')}&_sort=_lastUpdated&_count=200`;

export async function everythingOnHub(hub: { baseUrl: string; issueToken(): string }): Promise<Resource[]> {
  const client = createFhirClient({ baseUrl: hub.baseUrl, auth: { authorization: async () => `Bearer ${hub.issueToken()}`, rejected: async () => false } });
  const all: Resource[] = [];
  await client.pageThrough(everythingOn(hub.baseUrl), (page) => void all.push(...(page.resources as Resource[])));
  return all;
}

type Any = Record<string, unknown>;
const refs = (value: unknown): string[] => {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((r) => (typeof (r as Any | undefined)?.reference === 'string' ? [(r as { reference: string }).reference] : []));
};

/** "Type/id" of every resource of the service's work. */
export function serviceWork(all: readonly Resource[], service: string, reviewerId: string | null = null): Set<string> {
  const key = (r: Resource): string => `${r.resourceType}/${r.id}`;
  const referrals = all.filter((r) => r.resourceType === 'ServiceRequest' && refs((r as unknown as Any).performer).includes(service)) as (Resource & Any)[];
  const openPatients = new Set(referrals.filter((r) => r.status === 'active' || r.status === 'on-hold').flatMap((r) => refs(r.subject)));
  const taken = referrals.filter((r) => refs(r.subject).some((p) => openPatients.has(p)));
  const work = new Set(taken.map(key));
  const pointsAtWork = (r: Resource & Any): boolean => {
    const at = [r.focus, r.basedOn, (r.provision as Any | undefined)?.data && ((r.provision as Any).data as Any[]).map((d) => d.reference), (r.context as Any | undefined)?.related];
    return at.some((v) => refs(v).some((ref) => work.has(ref)));
  };
  const parts = (all as (Resource & Any)[]).filter((r) => r.resourceType !== 'ServiceRequest' && pointsAtWork(r));
  for (const part of parts) work.add(key(part));
  const people = new Set<string>([...taken.flatMap((r) => [...refs(r.subject), ...refs(r.requester)]), ...parts.filter((p) => p.resourceType === 'Task').flatMap((t) => refs(t.owner).filter((o) => o.startsWith('Practitioner/')))]);
  if (reviewerId) people.add(`Practitioner/${reviewerId}`);
  const byKey = new Map(all.map((r) => [key(r), r as Resource & Any]));
  for (const person of [...people]) for (const practice of refs(byKey.get(person)?.generalPractitioner)) people.add(practice);
  for (const person of people) if (byKey.has(person)) work.add(person);
  return work;
}
