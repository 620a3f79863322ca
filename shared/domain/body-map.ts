/**
 * Where a lesion site written by the GP ("Left forearm", "Dorsum of right hand") falls on a
 * body map: the region, the side, and whether it is seen from the front or the back. Pure, so
 * the reading of the words is tested apart from the drawing. A site it cannot read is said to
 * be unplaced, never guessed.
 *
 * Figures are drawn in anatomical position on a 100 × 210 box. From the front the patient's
 * right is on the viewer's left; from the back it is on the viewer's right.
 */
export type BodyView = 'front' | 'back';
export type Side = 'left' | 'right';

export interface BodyRegion {
  id: string;
  label: string;
  view: BodyView;
  /** Where the region is on the figure for the patient's right side (or the midline). */
  at: { x: number; y: number };
  /** Regions that come in pairs need a side to be placed exactly. */
  paired: boolean;
}

export interface BodyPlacement {
  region: BodyRegion;
  side: Side | null;
  /** Points to mark on the figure: one, or both sides when a paired region's side is not stated. */
  marks: { x: number; y: number }[];
}

const region = (id: string, label: string, view: BodyView, x: number, y: number, paired: boolean): BodyRegion => ({ id, label, view, at: { x, y }, paired });

/** The first whose words match wins, so the more specific come first. */
const REGIONS: readonly [RegExp, BodyRegion][] = [
  [/\bscalp|crown|vertex\b/, region('scalp', 'Scalp', 'back', 50, 8, false)],
  [/\bnas(al|e)|\bnose\b/, region('nose', 'Nose', 'front', 50, 21, false)],
  [/\bears?\b|\bauricle|pinna/, region('ear', 'Ear', 'front', 36, 18, true)],
  [/\bcheek|\bmalar/, region('cheek', 'Cheek', 'front', 44, 23, true)],
  [/\bface|forehead|temple|\bchin\b|\blips?\b|eyelid|\bjaw/, region('face', 'Face', 'front', 50, 17, false)],
  [/\bneck\b/, region('neck', 'Neck', 'front', 50, 36, false)],
  [/\bshoulder/, region('shoulder', 'Shoulder', 'front', 31, 44, true)],
  [/\bdorsum of (the )?(left |right )?hand|back of (the )?(left |right )?hand|knuckle/, region('hand-back', 'Back of hand', 'back', 81, 118, true)],
  [/\bhand|palm|finger|thumb/, region('hand', 'Hand', 'front', 19, 118, true)],
  [/\bforearm|wrist/, region('forearm', 'Forearm', 'front', 21, 96, true)],
  [/\bupper arm|\barm\b|elbow/, region('upper-arm', 'Upper arm', 'front', 23, 62, true)],
  [/\bupper back|scapula|interscapular/, region('upper-back', 'Upper back', 'back', 50, 56, false)],
  [/\blower back|lumbar|sacr/, region('lower-back', 'Lower back', 'back', 50, 96, false)],
  [/\bback\b/, region('back', 'Back', 'back', 50, 74, false)],
  [/\bchest|breast|stern/, region('chest', 'Chest', 'front', 50, 56, false)],
  [/\babdomen|abdominal|umbilic|flank/, region('abdomen', 'Abdomen', 'front', 50, 90, false)],
  [/\bbuttock|gluteal/, region('buttock', 'Buttock', 'back', 57, 114, true)],
  [/\bthigh|knee/, region('thigh', 'Thigh', 'front', 42, 134, true)],
  [/\bcalf|calves/, region('calf', 'Calf', 'back', 58, 168, true)],
  [/\bshin|\blower leg|\bleg\b/, region('shin', 'Shin', 'front', 42, 170, true)],
  [/\bfoot|feet|\btoes?\b|ankle|heel|sole/, region('foot', 'Foot', 'front', 42, 201, true)],
];

/** `at.x` is where the patient's right falls in the region's own view; the left is its mirror. */
function markFor(r: BodyRegion, side: Side): { x: number; y: number } {
  return { x: side === 'right' ? r.at.x : 100 - r.at.x, y: r.at.y };
}

export function placeLesionSite(site: string): BodyPlacement | null {
  const text = site.toLowerCase();
  const match = REGIONS.find(([words]) => words.test(text));
  if (!match) return null;
  const [, r] = match;
  const side: Side | null = /\bleft\b/.test(text) ? 'left' : /\bright\b/.test(text) ? 'right' : null;
  if (!r.paired) return { region: r, side, marks: [r.at] };
  const marks = side ? [markFor(r, side)] : [markFor(r, 'right'), markFor(r, 'left')];
  return { region: r, side, marks };
}
