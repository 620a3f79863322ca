import { describe, expect, it } from 'vitest';
import { isAwayFromHome, type ViewState } from '../../shared/viewer/home-view';

const home: ViewState = { rotation: 0, flipped: false, zoom: 1.25, homeZoom: 1.25, centre: { x: 0.5, y: 0.375 }, homeCentre: { x: 0.5, y: 0.375 }, homeWidth: 1 };

describe('the preview lines up only with the home view', () => {
  it.each<[string, Partial<ViewState>, boolean]>([
    ['at home', {}, false],
    ['a rounding hair off', { zoom: 1.2501, centre: { x: 0.5004, y: 0.3749 } }, false],
    ['a full turn is upright again', { rotation: 360 }, false],
    ['zoomed in', { zoom: 1.5 }, true],
    ['zoomed out', { zoom: 1.0 }, true],
    ['panned right', { centre: { x: 0.52, y: 0.375 } }, true],
    ['panned down', { centre: { x: 0.5, y: 0.4 } }, true],
    ['rotated', { rotation: 90 }, true],
    ['flipped', { flipped: true }, true],
  ])('%s', (_, change, away) => {
    expect(isAwayFromHome({ ...home, ...change })).toBe(away);
  });
});
