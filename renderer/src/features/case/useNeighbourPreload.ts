/**
 * While a case is open, its neighbours in the queue get their first image ready in the renderer
 * (tile-memory.ts): the low-resolution tiles OpenSeadragon draws first (the one-tile level, the
 * one below it and the one above), decoded. j or k then shows a picture from memory instead of
 * waiting for the tile server. It uses case.thumbnails, which builds pyramids without recording
 * a view: nothing is shown.
 */
import { useEffect } from 'react';
import type { Pyramid } from '../../../../shared/domain/referral';
import { thumbnailLevel, tileUrl } from '../../../../shared/domain/tile-address';
import { desk } from '../../desk';
import { useDesk } from '../../store/desk-store';
import { warmTiles } from '../viewer/tile-memory';

function tilesToWarm(base: string, pyramid: Pyramid): string[] {
  const level = thumbnailLevel(pyramid);
  const top = Math.ceil(Math.log2(Math.max(pyramid.width, pyramid.height)));
  const urls: string[] = [];
  for (const l of [level - 1, level, level + 1]) {
    if (l < 0 || l > top) continue;
    const scale = 2 ** (top - l);
    const cols = Math.ceil(Math.ceil(pyramid.width / scale) / pyramid.tileSize);
    const rows = Math.ceil(Math.ceil(pyramid.height / scale) / pyramid.tileSize);
    for (let col = 0; col < cols; col++) for (let row = 0; row < rows; row++) urls.push(tileUrl(base, { imageId: pyramid.imageId, level: l, col, row }));
  }
  return urls;
}

export function useNeighbourPreload(referralId: string): void {
  const tileBaseUrl = useDesk((s) => s.info?.tileBaseUrl);
  useEffect(() => {
    if (!tileBaseUrl) return;
    const { visible, selectedIndex } = useDesk.getState();
    const neighbours = [visible[selectedIndex + 1], visible[selectedIndex - 1]].flatMap((r) => (r && r.referralId !== referralId ? [r] : []));
    let current = true;
    for (const neighbour of neighbours) {
      desk()['case.thumbnails']({ referralId: neighbour.referralId }).then(
        (thumbnails) => {
          const first = thumbnails.find((t) => t.pyramid !== null)?.pyramid;
          if (current && first) warmTiles(tilesToWarm(tileBaseUrl, first));
        },
        () => undefined, // a neighbour that cannot be prepared simply opens the usual way
      );
    }
    return () => {
      current = false;
    };
  }, [referralId, tileBaseUrl]);
}
