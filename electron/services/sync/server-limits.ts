/**
 * What the server cannot do, as the sync finds it: its CapabilityStatement, read before the first
 * sync, a chained search refused and a long search address refused (neither of which an R4
 * statement can declare). Said to the consultant when first found, never again.
 */
import { FhirRequestError, type FhirClient } from '../fhir/fhir-client';
import { capabilityGaps, readCapabilities, type CapabilityGaps } from '../fhir/server-capabilities';
import { ID_CHARS_PER_SEARCH, SHORT_ID_CHARS_PER_SEARCH } from './scope';

const NO_CHAINED_SEARCH = 'This server cannot follow a chained search: changes to the parts of referrals held are asked for a few hundred referrals at a time, which takes longer.';
const NO_LONG_ADDRESSES = 'This server refuses long search addresses: the desk asks for fewer resources in each search, which takes longer.';

export interface ServerLimits {
  /** The gaps, read once; a failure worth trying again (unreachable, signed out, a server error) is thrown and read again next time. */
  gaps(): Promise<CapabilityGaps>;
  /** Whether a chained search was refused: from then on the sync asks by referral. */
  chainRefused(): boolean;
  /** A search failed: true (and said) when it was a chained search the server refused. */
  refusedChain(err: unknown): boolean;
  /** How much of a search's URL its ids may take, as long as the server has not refused as much. */
  idChars(): number;
  /**
   * A search of ids this long (`chars` in the URL) failed: true (and said, the first time) when
   * the server refused its address as too long (414, or 400 from one that says no more) and
   * shorter ones are left to try; later searches are kept to half as long.
   */
  refusedLong(err: unknown, chars: number): boolean;
}

export function createServerLimits(fhir: Pick<FhirClient, 'read'>, say: (messages: string[]) => void): ServerLimits {
  let gaps: CapabilityGaps | null = null;
  let chainRefused = false;
  let idChars = ID_CHARS_PER_SEARCH;
  const sayAll = (): void => say([...(gaps?.messages ?? []), ...(chainRefused ? [NO_CHAINED_SEARCH] : []), ...(idChars < ID_CHARS_PER_SEARCH ? [NO_LONG_ADDRESSES] : [])]);
  return {
    async gaps() {
      if (gaps) return gaps;
      try {
        gaps = capabilityGaps(readCapabilities(await fhir.read('metadata')));
      } catch (err) {
        // Not reached, not signed in, or a server error: the sync fails as any would, and reads it again next time.
        if (err instanceof FhirRequestError && (err.failure === 'unreachable' || err.failure === 'signed-out' || (err.failure === 'status' && err.retryable))) throw err;
        // No statement at all (404, not FHIR): go on as if it offered all, and say so.
        const why = err instanceof Error ? err.message : String(err);
        gaps = { cannotScope: false, noChangesSince: false, noStatusSearch: false, noHistory: false, missingParts: [], messages: [`The server's CapabilityStatement could not be read (${why}): the desk assumes it offers what it needs.`] };
      }
      sayAll();
      return gaps;
    },
    chainRefused: () => chainRefused,
    refusedChain(err) {
      if (chainRefused || !(err instanceof FhirRequestError && (err.status === 400 || err.status === 501))) return false;
      chainRefused = true;
      sayAll();
      return true;
    },
    idChars: () => idChars,
    refusedLong(err, chars) {
      if (!(err instanceof FhirRequestError && (err.status === 414 || err.status === 400)) || chars <= SHORT_ID_CHARS_PER_SEARCH) return false;
      const first = idChars === ID_CHARS_PER_SEARCH;
      idChars = Math.max(SHORT_ID_CHARS_PER_SEARCH, Math.min(idChars, Math.floor(chars / 2)));
      if (first) sayAll();
      return true;
    },
  };
}
