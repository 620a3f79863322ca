/**
 * `e` over a case: exports the image on screen for teaching, and says plainly in the case's
 * notice what happened: where it went, or why it was refused. The main process decides (it
 * confirms the consent with the server); nothing here pre-judges it, so a refusal is never silent.
 */
import { IMAGE_VIEW_LABELS } from '../../../../shared/domain/referral';
import { desk, reasonFrom } from '../../desk';
import { useDesk } from '../../store/desk-store';

export async function exportImageForTeaching(): Promise<void> {
  const { openCase, imageIndex } = useDesk.getState();
  if (!openCase) return;
  const image = openCase.images[imageIndex];
  if (!image) {
    useDesk.setState({ notice: 'Not exported for teaching: this referral has no images.' });
    return;
  }
  const which = `Image ${imageIndex + 1} of ${openCase.images.length} (${IMAGE_VIEW_LABELS[image.view]})`;
  const referralId = openCase.referralId;
  useDesk.setState({ notice: `${which}: exporting for teaching…` });
  let notice: string;
  try {
    const result = await desk()['teaching.export']({ referralId, imageIds: [image.imageId] });
    notice = result.state === 'exported'
      ? `${which} exported for teaching, anonymised (no name, NHS number, dates or image metadata), to ${result.folder}`
      : result.reason;
  } catch (err) {
    notice = `Not exported for teaching: ${reasonFrom(err)}`;
  }
  // Said only over the case it is about; the audit trail keeps it either way.
  if (useDesk.getState().openCase?.referralId === referralId) useDesk.setState({ notice });
}
