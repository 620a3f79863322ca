/** Whose review this is: claimed by you, held by a colleague (read-only), or not claimed and why. */
import { useDesk } from '../../store/desk-store';

export function ClaimBanner(): React.JSX.Element | null {
  const claim = useDesk((s) => s.claim);
  if (!claim) return null;
  switch (claim.state) {
    case 'claiming':
      return <div className="claim-banner quiet" role="status">Claiming this referral for you…</div>;
    case 'mine':
      return <div className="claim-banner mine" role="status">You are reviewing this referral.</div>;
    case 'held-by-other':
      return (
        <div className="claim-banner held" role="alert">
          Read-only: {claim.by} is reviewing this referral.
        </div>
      );
    case 'not-claimed':
      return (
        <div className="claim-banner held" role="alert">
          Not claimed: {claim.reason}.
        </div>
      );
  }
}
