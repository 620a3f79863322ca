/** Who this is. Always on screen while a case is open: the wrong-patient hazard. */
import { formatNhsNumber, isValidNhsNumber } from '../../../../shared/domain/nhs-number';
import type { CaseDetail } from '../../../../shared/domain/referral';
import { ageToday, formatBirthDate, SEX_LABELS } from '../../app/format';

export function PatientBanner({ detail }: { detail: CaseDetail }): React.JSX.Element {
  return (
    <header className="patient-banner" aria-label="Patient">
      <span className="patient-name">{detail.patientName}</span>
      {detail.patientMissing ? (
        <span className="badge nhs-invalid" role="alert">
          The patient&apos;s record has not arrived from the server, or could not be read (see the sync problems, P): no outcome can be signed until it is in
        </span>
      ) : (
        <>
          <span>
            <abbr title="NHS number">NHS</abbr> <strong className="nhs">{formatNhsNumber(detail.nhsNumber)}</strong>
            {/* Shown as sent, never hidden: a number that fails its check digit may be mistyped, or another patient's. */}
            {!isValidNhsNumber(detail.nhsNumber) && (
              <span className="badge nhs-invalid" role="alert">
                Not a valid NHS number: confirm who this is before acting
              </span>
            )}
          </span>
          {detail.birthDate && (
            <span>
              Born <strong>{formatBirthDate(detail.birthDate)}</strong> ({ageToday(detail.birthDate)} y)
            </span>
          )}
          {detail.sex && <span>{SEX_LABELS[detail.sex]}</span>}
        </>
      )}
    </header>
  );
}
