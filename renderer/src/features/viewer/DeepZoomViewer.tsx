/**
 * OpenSeadragon over the desk's tile server. The pyramid is asked for first (it may be built on
 * demand); the viewer is destroyed when the image changes or the case closes, so memory stays flat.
 * When the image's one-tile preview was warmed (the case was a neighbour of the last one), it is
 * drawn at once where OpenSeadragon will draw the image, and hidden when OpenSeadragon draws its
 * own first tile (or the view leaves home, or the image cannot be opened): the picture is on
 * screen with the case, not some frames later.
 */
import OpenSeadragon from 'openseadragon';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ImageSummary, Pyramid } from '../../../../shared/domain/referral';
import { thumbnailLevel, tileUrl } from '../../../../shared/domain/tile-address';
import { desk, reasonFrom } from '../../desk';
import { useDesk } from '../../store/desk-store';
import { markStage } from '../../app/stage-mark';
import { isAwayFromHome, type ViewState } from '../../../../shared/viewer/home-view';
import { recallTile } from './tile-memory';
import { useViewerKeys } from './useViewerKeys';
import type { ViewLock } from './view-lock';

type Load = { state: 'loading' } | { state: 'ready'; pyramid: Pyramid } | { state: 'failed'; reason: string };

interface Props {
  image: ImageSummary;
  /** The keymap's viewer keys drive this viewer (in a comparison, the one on the left). */
  keys?: boolean;
  /** Viewers locked together, zoom and pan, for comparing. */
  lock?: ViewLock;
  caption?: string;
}

/** The pyramid's tiles from the tile server, or from the renderer's memory when warmed there. */
function pyramidSource(pyramid: Pyramid, tileBaseUrl: string): OpenSeadragon.TileSource {
  const source = new OpenSeadragon.TileSource({ width: pyramid.width, height: pyramid.height, tileSize: pyramid.tileSize, tileOverlap: pyramid.overlap });
  source.getTileUrl = (level: number, col: number, row: number) => tileUrl(tileBaseUrl, { imageId: pyramid.imageId, level, col, row });
  source.downloadTileStart = (job) => {
    const held = recallTile(job.src);
    if (held) job.finish(held, null, 'image');
    else OpenSeadragon.TileSource.prototype.downloadTileStart.call(source, job);
  };
  return source;
}

/** Draws the image's one-tile level, if held in memory, scaled as OpenSeadragon's home view (CSS contain). */
function drawPreview(canvas: HTMLCanvasElement, pyramid: Pyramid, tileBaseUrl: string): boolean {
  const tile = recallTile(tileUrl(tileBaseUrl, { imageId: pyramid.imageId, level: thumbnailLevel(pyramid), col: 0, row: 0 }));
  const context = canvas.getContext('2d');
  if (!tile || !context) return false;
  canvas.width = tile.naturalWidth;
  canvas.height = tile.naturalHeight;
  context.drawImage(tile, 0, 0);
  canvas.hidden = false;
  return true;
}

function viewState(viewport: OpenSeadragon.Viewport): ViewState {
  const home = viewport.getHomeBounds();
  return {
    rotation: viewport.getRotation(), flipped: viewport.getFlip(), zoom: viewport.getZoom(true), homeZoom: viewport.getHomeZoom(),
    centre: viewport.getCenter(true), homeCentre: home.getCenter(), homeWidth: home.width,
  };
}

export function DeepZoomViewer({ image, keys = true, lock, caption }: Props): React.JSX.Element {
  const tileBaseUrl = useDesk((s) => s.info?.tileBaseUrl);
  const viewerRef = useRef<OpenSeadragon.Viewer | null>(null);
  // A pyramid built before (the usual case, prefetched) opens at once; the request below still
  // goes, as it records the view in the audit trail.
  const [load, setLoad] = useState<Load>(
    image.problem ? { state: 'failed', reason: image.problem } : image.pyramid ? { state: 'ready', pyramid: image.pyramid } : { state: 'loading' },
  );
  const host = useRef<HTMLDivElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  // Whether the viewer opened at once; learning the pyramid later must not ask (and audit) again.
  const openedAtOnce = useRef(image.pyramid !== null);

  useEffect(() => {
    if (image.problem) return; // refused before: the reason is shown, nothing is fetched
    let current = true;
    desk()['image.pyramid']({ imageId: image.imageId }).then(
      (pyramid) => {
        if (!current) return;
        markStage('pyramid-ready');
        if (!openedAtOnce.current) setLoad({ state: 'ready', pyramid });
        useDesk.getState().noteImage(image.imageId, { width: pyramid.width, height: pyramid.height, pyramid });
      },
      (err: unknown) => {
        if (!current) return;
        const reason = reasonFrom(err);
        setLoad({ state: 'failed', reason });
        useDesk.getState().noteImage(image.imageId, { problem: reason });
      },
    );
    return () => {
      current = false;
    };
  }, [image.imageId, image.problem]);

  // Before the browser paints: the preview is on screen in the same frame as the new case's
  // banner, and the viewer starts a frame sooner.
  useLayoutEffect(() => {
    if (load.state !== 'ready' || !host.current || !tileBaseUrl) return;
    const { pyramid } = load;
    const element = host.current;
    let drawn = 0;
    const previewCanvas = preview.current;
    const shown = previewCanvas && drawPreview(previewCanvas, pyramid, tileBaseUrl);
    if (shown) {
      element.dataset.previewDrawn = 'true';
      markStage('preview-drawn');
    }
    const viewer = OpenSeadragon({
      element,
      drawer: 'canvas',
      showNavigationControl: false,
      // The desk's keymap drives the viewer; OpenSeadragon's own keys would act twice.
      keyboardNavEnabled: false,
      animationTime: 0.3,
    });
    viewerRef.current = viewer;
    // The zoom (in image pixels per screen pixel) and rotation, for tests to read.
    const describeView = (): void => {
      element.dataset.imageZoom = viewer.viewport.viewportToImageZoom(viewer.viewport.getZoom(true)).toFixed(3);
      element.dataset.rotation = String(viewer.viewport.getRotation());
      const center = viewer.viewport.getCenter(true);
      element.dataset.view = [viewer.viewport.getZoom(true), center.x, center.y].map((n) => n.toFixed(4)).join(' ');
    };
    const release = lock?.attach(viewer);
    markStage('viewer-created');
    // Hidden for good, its pixels let go: a viewer draws its preview once, when it is made.
    const hidePreview = (): void => {
      viewer.removeHandler('viewport-change', leftHome); // nothing left to line up
      if (!previewCanvas) return;
      previewCanvas.hidden = true;
      previewCanvas.width = 0;
    };
    viewer.addOnceHandler('open', () => markStage('viewer-open'));
    // The preview is drawn at the home view: once the view leaves it (keys, mouse, a locked
    // comparison) the preview no longer lines up, so it goes.
    const leftHome = (): void => {
      if (isAwayFromHome(viewState(viewer.viewport))) hidePreview();
    };
    if (shown) viewer.addHandler('viewport-change', leftHome);
    viewer.addOnceHandler('open-failed', hidePreview);
    viewer.addOnceHandler('tile-loaded', () => markStage('first-tile-loaded'));
    viewer.addHandler('animation-finish', describeView);
    viewer.addHandler('rotate', describeView);
    // Tests and benchmarks read this to know the first tile is on screen.
    viewer.addHandler('tile-drawn', () => {
      if (drawn === 0) {
        markStage('first-tile');
        hidePreview();
      }
      drawn += 1;
      element.dataset.tilesDrawn = String(drawn);
    });
    // Tests wait for this before taking a picture: every tile the view needs has arrived.
    viewer.addHandler('fully-loaded-change', (event) => {
      element.dataset.fullyLoaded = String(event.fullyLoaded);
    });
    viewer.open({ tileSource: pyramidSource(pyramid, tileBaseUrl) });
    return () => {
      release?.();
      viewerRef.current = null;
      viewer.destroy();
      hidePreview();
      delete element.dataset.previewDrawn;
      delete element.dataset.tilesDrawn;
      delete element.dataset.fullyLoaded;
      delete element.dataset.imageZoom;
      delete element.dataset.rotation;
      delete element.dataset.view;
    };
  }, [load, tileBaseUrl, lock]);

  useViewerKeys(viewerRef, keys);

  return (
    <div className="viewer" aria-label={caption ?? `${image.view} image`}>
      {caption && <p className="viewer-caption">{caption}</p>}
      <canvas ref={preview} className="viewer-preview" aria-hidden="true" hidden />
      <div ref={host} className="viewer-canvas" data-image-id={image.imageId} />
      {load.state === 'loading' && <p className="viewer-note">Preparing image…</p>}
      {load.state === 'failed' && <p className="viewer-note error" role="alert">This image cannot be shown: {load.reason}</p>}
    </div>
  );
}
