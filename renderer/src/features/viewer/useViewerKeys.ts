/** The viewer's keys: zoom, fit, one-to-one pixels, rotate, pan. They act on the viewer on screen. */
import OpenSeadragon from 'openseadragon';
import type { RefObject } from 'react';
import { useKeymap } from '../keyboard/useKeymap';

/** A tenth of the visible width per arrow press, wherever the zoom is. */
const PAN_STEP = 0.1;

/** `active` false: the keys belong to another viewer (the one this one follows). */
export function useViewerKeys(viewer: RefObject<OpenSeadragon.Viewer | null>, active = true): void {
  const act = (work: (v: OpenSeadragon.Viewer) => void) => () => {
    if (viewer.current) work(viewer.current);
  };
  const pan = (dx: number, dy: number) =>
    act((v) => {
      const bounds = v.viewport.getBounds();
      v.viewport.panBy(new OpenSeadragon.Point(dx * bounds.width, dy * bounds.height));
    });
  useKeymap('case', !active ? {} : {
    'viewer.zoomIn': act((v) => v.viewport.zoomBy(1.5)),
    'viewer.zoomOut': act((v) => v.viewport.zoomBy(1 / 1.5)),
    'viewer.fit': act((v) => v.viewport.goHome()),
    'viewer.actualPixels': act((v) => v.viewport.zoomTo(v.viewport.imageToViewportZoom(1))),
    'viewer.rotate': act((v) => v.viewport.setRotation((v.viewport.getRotation() + 90) % 360)),
    'viewer.panLeft': pan(-PAN_STEP, 0),
    'viewer.panRight': pan(PAN_STEP, 0),
    'viewer.panUp': pan(0, -PAN_STEP),
    'viewer.panDown': pan(0, PAN_STEP),
  });
}
