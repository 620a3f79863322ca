/**
 * The consultant's browser, in tests: it opens the hub's sign-in page with the desk's login hint
 * and follows the redirect back to the desk's loopback callback, as a real browser would after
 * the consultant chose their account. Everything else in the flow is the desk's own code.
 */
import type { SignInSettings } from '../../electron/services/auth/browser-sign-in';
import { DESK_CLIENT_ID } from '../../electron/hub/hub-auth';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';

export const followAsBrowser = async (url: string): Promise<void> => {
  await (await fetch(url, { redirect: 'follow' })).arrayBuffer();
};

/** Signs in as the given demo consultant (the desk refuses a sign-in as anyone but its reviewer). */
export const signInAs = (practitionerId: string): SignInSettings => ({ clientId: DESK_CLIENT_ID, loginHint: practitionerId, openBrowser: followAsBrowser });

export const TEST_SIGN_IN: SignInSettings = signInAs(DEMO_CONSULTANTS[0].id);
