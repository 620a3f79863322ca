/**
 * Sync v0: pulls every resource a case is made of, page by page, into the cache. A resource that
 * cannot be mapped is skipped with its reason kept; the rest of the sync goes on.
 */
import type { SyncStatus } from '../../../shared/domain/sync-status';
import type { CaseStore } from '../db/case-store';
import type { SyncStateStore } from '../db/sync-state';
import { CASE_RESOURCE_TYPES, mapResource, type CacheRecord } from '../fhir/case-mapping';
import { FhirRequestError, type FhirClient } from '../fhir/fhir-client';

export const PAGE_SIZE = 100;

export interface PullSync {
  /** Runs a sync, or joins the one already running. */
  syncNow: () => Promise<SyncStatus>;
  status: () => SyncStatus;
}

export interface PullSyncDeps {
  fhir: FhirClient;
  cases: CaseStore;
  state: SyncStateStore;
  onStatus: (status: SyncStatus) => void;
}

export function createPullSync({ fhir, cases, state, onStatus }: PullSyncDeps): PullSync {
  let current: SyncStatus = {
    state: 'idle',
    lastSuccessAt: state.get('last-success-at'),
    casesInCache: cases.countOpenReferrals(),
    problem: null,
  };
  let running: Promise<SyncStatus> | null = null;

  const publish = (next: Partial<SyncStatus>): SyncStatus => {
    current = { ...current, ...next, casesInCache: cases.countOpenReferrals() };
    onStatus(current);
    return current;
  };

  const run = async (): Promise<SyncStatus> => {
    publish({ state: 'syncing', problem: null });
    const problems: string[] = [];
    try {
      for (const resourceType of CASE_RESOURCE_TYPES) {
        await fhir.searchAll(resourceType, { _count: String(PAGE_SIZE), _sort: '_lastUpdated' }, (resources) => {
          const records: CacheRecord[] = [];
          for (const resource of resources) {
            try {
              records.push(mapResource(resource));
            } catch (err) {
              const id = (resource as { id?: unknown }).id;
              problems.push(`${resourceType}/${String(id)}: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
          cases.write(records);
        });
        publish({});
      }
      const lastSuccessAt = new Date().toISOString();
      state.set('last-success-at', lastSuccessAt);
      return publish({
        state: 'idle',
        lastSuccessAt,
        problem: problems.length ? `${problems.length} record(s) could not be read and were skipped; first: ${problems[0]}` : null,
      });
    } catch (err) {
      const offline = err instanceof FhirRequestError && err.status === null;
      return publish({ state: offline ? 'offline' : 'failed', problem: err instanceof Error ? err.message : String(err) });
    }
  };

  return {
    syncNow() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
    status: () => current,
  };
}
