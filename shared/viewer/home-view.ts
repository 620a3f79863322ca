/**
 * Whether a viewer still shows its home view (the whole image fitted, centred, upright): the
 * preview drawn at the home view lines up with the viewer only while it does. Pure numbers, so
 * it is tested without a viewer.
 */
export interface ViewState {
  rotation: number;
  flipped: boolean;
  zoom: number;
  homeZoom: number;
  centre: { x: number; y: number };
  homeCentre: { x: number; y: number };
  /** The image's width in viewport units: the centre may drift by a thousandth of it. */
  homeWidth: number;
}

/** Zoom within 0.1 %, centre within a thousandth of the image, no rotation or flip. */
export function isAwayFromHome(view: ViewState): boolean {
  const tolerance = view.homeWidth / 1000;
  return (
    view.rotation % 360 !== 0 ||
    view.flipped ||
    Math.abs(view.zoom / view.homeZoom - 1) > 0.001 ||
    Math.abs(view.centre.x - view.homeCentre.x) > tolerance ||
    Math.abs(view.centre.y - view.homeCentre.y) > tolerance
  );
}
