/**
 * What the server cannot do, as the sync finds it: its CapabilityStatement, read before the first
 * sync, and a chained search refused (which no R4 statement can declare). Said to the consultant
 * when first found, never again.
 */
import { FhirRequestError, type FhirClient } from '../fhir/fhir-client';
import { capabilityGaps, readCapabilities, type CapabilityGaps } from '../fhir/server-capabilities';

const NO_CHAINED_SEARCH = 'This server cannot follow a chained search: changes to the parts of referrals held are asked for a hundred referrals at a time, which takes longer.';

export interface ServerLimits {
  /** The gaps, read once; a failure worth trying again (unreachable, signed out, a server error) is thrown and read again next time. */
  gaps(): Promise<CapabilityGaps>;
  /** Whether a chained search was refused: from then on the sync asks by referral. */
  chainRefused(): boolean;
  /** A search failed: true (and said) when it was a chained search the server refused. */
  refusedChain(err: unknown): boolean;
}

export function createServerLimits(fhir: Pick<FhirClient, 'read'>, say: (messages: string[]) => void): ServerLimits {
  let gaps: CapabilityGaps | null = null;
  let chainRefused = false;
  const sayAll = (): void => say([...(gaps?.messages ?? []), ...(chainRefused ? [NO_CHAINED_SEARCH] : [])]);
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
  };
}
