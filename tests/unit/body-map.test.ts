import { describe, expect, it } from 'vitest';
import { placeLesionSite } from '../../shared/domain/body-map';

describe('lesion site on the body map', () => {
  it.each([
    // site,                  region,       view,    side,    viewer's side of the figure
    ['Left forearm', 'forearm', 'front', 'left', 'right'], // from the front, the patient's left is on the viewer's right
    ['Right cheek', 'cheek', 'front', 'right', 'left'],
    ['Upper back', 'upper-back', 'back', null, 'middle'],
    ['Scalp', 'scalp', 'back', null, 'middle'],
    ['Left shin', 'shin', 'front', 'left', 'right'],
    ['Nasal tip', 'nose', 'front', null, 'middle'],
    ['Right ear', 'ear', 'front', 'right', 'left'],
    ['Chest', 'chest', 'front', null, 'middle'],
    ['Left shoulder', 'shoulder', 'front', 'left', 'right'],
    ['Dorsum of right hand', 'hand-back', 'back', 'right', 'right'], // from the back, the patient's right is on the viewer's right
    ['Right palm', 'hand', 'front', 'right', 'left'],
    ['LEFT CALF', 'calf', 'back', 'left', 'left'],
    ['lower back, left of midline', 'lower-back', 'back', 'left', 'middle'],
  ] as const)('%s: %s, seen from the %s, %s side', (site, regionId, view, side, onScreen) => {
    const placed = placeLesionSite(site);
    expect(placed?.region.id).toBe(regionId);
    expect(placed?.region.view).toBe(view);
    expect(placed?.side).toBe(side);
    expect(placed?.marks).toHaveLength(1);
    const x = placed!.marks[0]!.x;
    expect(onScreen === 'middle' ? x === 50 : onScreen === 'left' ? x < 50 : x > 50).toBe(true);
  });

  it('marks both sides of a paired region when the side is not stated', () => {
    const placed = placeLesionSite('Forearm');
    expect(placed?.side).toBeNull();
    expect(placed?.marks.map((m) => m.x).sort((a, b) => a - b)).toEqual([21, 79]);
  });

  it.each(['', 'See photo', 'Multiple sites'])('does not place "%s"', (site) => {
    expect(placeLesionSite(site)).toBeNull();
  });
});
