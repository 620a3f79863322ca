/**
 * Claiming a referral's review: read its Task fresh, and if nobody holds it, set the owner to
 * this consultant and the status to in-progress with If-Match on the version read. Two
 * consultants opening the same case at once: one wins, the other is told who did.
 */
import type { Resource, Task } from '@medplum/fhirtypes';
import type { Claim } from '../../../shared/domain/referral';
import type { CaseStore } from '../db/case-store';
import { cacheRows } from '../db/cache-rows';
import { versionOf, type SyncLedger } from '../db/sync-ledger';
import { mapResource } from '../fhir/case-mapping';
import { FhirRequestError, type FhirClient } from '../fhir/fhir-client';

/** The consultant using the desk, as a Practitioner on the server. */
export interface Reviewer {
  practitionerId: string;
}

export interface ClaimDeps {
  fhir: FhirClient;
  cases: CaseStore;
  ledger: SyncLedger;
  reviewer: Reviewer | null;
}

const FINISHED = new Set(['completed', 'failed']);
const WITHDRAWN = new Set(['cancelled', 'rejected', 'entered-in-error']);

const ownerOf = (task: Task): string | undefined => /^Practitioner\/(.+)$/.exec(task.owner?.reference ?? '')?.[1];

export async function claimReview({ fhir, cases, ledger, reviewer }: ClaimDeps, referralId: string): Promise<Claim> {
  const task = cases.taskFor(referralId);
  if (!task) return { state: 'not-claimed', reason: 'this referral has no review task on the server' };
  if (!reviewer) return { state: 'not-claimed', reason: 'the desk does not know which consultant you are (set DESK_PRACTITIONER_ID)' };

  /** Keeps the cache in step with what the server just said. */
  const remember = (resource: Resource): void => {
    ledger.ingest({ rows: cacheRows([mapResource(resource)]), seen: [versionOf(resource)], problems: [] });
  };

  /**
   * A colleague the cache has no name for (the desk keeps only the people its cases refer to, and
   * this task was theirs since the last sync): read from the server, and kept, as the task now
   * refers to them. The reference is said if it cannot be read.
   */
  const colleagueName = async (practitionerId: string): Promise<string> => {
    try {
      const practitioner = await fhir.read(`Practitioner/${practitionerId}`);
      remember(practitioner);
      return cases.practitionerName(practitionerId) ?? `Practitioner/${practitionerId}`;
    } catch {
      return `Practitioner/${practitionerId}`;
    }
  };

  const offline = (err: unknown): Claim | null => {
    if (!(err instanceof FhirRequestError)) return null;
    if (err.failure === 'signed-out') return { state: 'not-claimed', reason: `not signed in to the server (${err.message}); working from the cache` };
    return err.failure === 'unreachable' || err.failure === 'unreadable'
      ? { state: 'not-claimed', reason: `the server could not be reached to claim it (${err.message}); working from the cache` }
      : null;
  };

  // Two rounds: if someone changes the task between our read and our write, read it again.
  for (let round = 0; round < 2; round++) {
    let current: Task;
    try {
      current = (await fhir.read(`Task/${task.id}`)) as Task;
    } catch (err) {
      if (err instanceof FhirRequestError && (err.status === 410 || err.status === 404)) {
        cases.markGone(referralId, `the server answered ${err.status} for Task/${task.id}`);
        return { state: 'not-claimed', reason: 'the referral has been withdrawn: its review task is gone from the server' };
      }
      const reason = offline(err);
      if (reason) return reason;
      throw err;
    }
    remember(current);
    if (WITHDRAWN.has(current.status)) return { state: 'not-claimed', reason: 'the referral has been withdrawn by the referrer' };
    if (FINISHED.has(current.status)) return { state: 'not-claimed', reason: 'this referral has already been reviewed' };
    const owner = ownerOf(current);
    if (current.status === 'in-progress' && owner && owner !== reviewer.practitionerId) {
      return { state: 'held-by-other', by: cases.practitionerName(owner) ?? (await colleagueName(owner)) };
    }
    if (current.status === 'in-progress' && owner === reviewer.practitionerId) return { state: 'mine' };

    const claimed: Task = { ...current, status: 'in-progress', owner: { reference: `Practitioner/${reviewer.practitionerId}` } };
    try {
      remember(await fhir.update(`Task/${task.id}`, claimed, current.meta?.versionId ?? ''));
      return { state: 'mine' };
    } catch (err) {
      if (err instanceof FhirRequestError && err.status === 412) continue; // someone got there first: look again
      const reason = offline(err);
      if (reason) return reason;
      throw err;
    }
  }
  return { state: 'not-claimed', reason: 'the review task kept changing on the server; open the case again' };
}
