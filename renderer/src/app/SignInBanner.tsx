/**
 * Signed out of the FHIR server: said plainly, with the one thing to do. Work done meanwhile is
 * kept (outcomes wait in the outbox) and goes once the consultant signs in again.
 */
import { useEffect, useState } from 'react';
import type { AuthStatus } from '../../../shared/domain/auth-status';
import { desk } from '../desk';

export function SignInBanner(): React.JSX.Element | null {
  const [status, setStatus] = useState<AuthStatus | null>(null);
  useEffect(() => {
    const stop = desk().onEvent('auth.changed', setStatus);
    void desk()['auth.status'](undefined).then(setStatus);
    return stop;
  }, []);
  if (!status || status.state === 'signed-in' || status.state === 'not-needed') return null;
  if (status.state === 'signing-in') {
    return (
      <div className="desk-notice warning" role="status">
        <p>Signing in: finish in the browser window that opened, then come back here.</p>
      </div>
    );
  }
  return (
    <div className="desk-notice alert" role="alert">
      <p>
        Signed out of the server{status.problem ? ` (${status.problem})` : ''}. The cache stays readable; outcomes you sign are
        kept and sent once you sign in again.
      </p>
      <button type="button" onClick={() => void desk()['auth.signIn'](undefined).then(setStatus)}>
        Sign in
      </button>
    </div>
  );
}
