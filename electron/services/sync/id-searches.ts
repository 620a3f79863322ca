/**
 * Searches by lists of ids (a hundred patients, two hundred referrals' parts), each as long as
 * the server takes: long at first, since fewer searches make a first sync quick; shorter from
 * the first address a server refuses as too long (server-limits.ts).
 */
import { idChars, inGroups } from './scope';
import type { ServerLimits } from './server-limits';

export interface IdSearches {
  /** The ids in groups, one search each. */
  groupsOf: (ids: Iterable<string>, render?: (id: string) => string) => string[][];
  /**
   * Runs `search` for one group; a group whose address the server refuses as too long is asked
   * for again in two halves (what of it was written already is written again, harmlessly).
   */
  byIds: (group: string[], render: ((id: string) => string) | undefined, search: (group: string[]) => Promise<void>) => Promise<void>;
}

export function createIdSearches(limits: Pick<ServerLimits, 'idChars' | 'refusedLong'>): IdSearches {
  const byIds: IdSearches['byIds'] = async (group, render, search) => {
    try {
      await search(group);
    } catch (err) {
      if (group.length < 2 || !limits.refusedLong(err, idChars(group, render))) throw err;
      const half = Math.ceil(group.length / 2);
      await byIds(group.slice(0, half), render, search);
      await byIds(group.slice(half), render, search);
    }
  };
  return { groupsOf: (ids, render) => inGroups(ids, render, limits.idChars()), byIds };
}
