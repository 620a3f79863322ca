/**
 * Locks viewers together: zoom, pan and rotation made in one (by key, wheel or drag) are made
 * in the others at once, so two images compare region for region. Coordinates are
 * OpenSeadragon's viewport units (image width = 1), so images of different sizes stay aligned
 * by proportion. Each viewer follows the others' targets, and an echo that changes nothing is
 * dropped, so the leader's animation is never cut short.
 */
import type OpenSeadragon from 'openseadragon';

export interface ViewLock {
  /** Adds a viewer to the lock; the returned function takes it out again. */
  attach: (viewer: OpenSeadragon.Viewer) => () => void;
}

const SAME = 1e-6;

export function createViewLock(): ViewLock {
  const viewers = new Set<OpenSeadragon.Viewer>();
  const follow = (leader: OpenSeadragon.Viewer): void => {
    const zoom = leader.viewport.getZoom();
    const center = leader.viewport.getCenter();
    const rotation = leader.viewport.getRotation();
    for (const other of viewers) {
      if (other === leader) continue;
      const there = other.viewport.getCenter();
      if (Math.abs(other.viewport.getZoom() - zoom) > SAME * zoom) other.viewport.zoomTo(zoom, undefined, true);
      if (Math.abs(there.x - center.x) > SAME || Math.abs(there.y - center.y) > SAME) other.viewport.panTo(center, true);
      if (other.viewport.getRotation() !== rotation) other.viewport.setRotation(rotation, true);
    }
  };
  return {
    attach(viewer) {
      viewers.add(viewer);
      const onChange = (): void => follow(viewer);
      viewer.addHandler('viewport-change', onChange);
      return () => {
        viewer.removeHandler('viewport-change', onChange);
        viewers.delete(viewer);
      };
    },
  };
}
