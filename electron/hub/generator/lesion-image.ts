/**
 * Draws a synthetic clinical photograph: skin, lighting, and a lesion with an irregular border.
 * The picture is drawn at a quarter of its size in a plain pixel buffer (cheap in JavaScript)
 * and enlarged and JPEG-encoded by libvips off the main thread, so a 12-megapixel image costs
 * tens of milliseconds of JavaScript and about a tenth of a second in all. (libvips' own gaussian noise took seconds: the skin grain
 * is drawn here instead.)
 */
import sharp from 'sharp';
import type { ImageView } from '../../../shared/domain/referral';
import { seededRandom } from './random';

export interface LesionImageRecipe {
  seed: number;
  view: ImageView;
  width: number;
  height: number;
  /** Skin colour as RGB, from the patient's Fitzpatrick type. */
  skin: readonly [number, number, number];
  /** Lesion pigment as RGB. */
  pigment: readonly [number, number, number];
}

const DRAW_SCALE = 4;

export async function renderLesionImage(recipe: LesionImageRecipe): Promise<Buffer> {
  const random = seededRandom(recipe.seed);
  const w = Math.ceil(recipe.width / DRAW_SCALE);
  const h = Math.ceil(recipe.height / DRAW_SCALE);
  const pixels = Buffer.alloc(w * h * 3);
  const short = Math.min(w, h);

  // The lesion's size in the frame depends on the view: a dot in a distant shot, most of a
  // dermoscopic field.
  const lesionFraction = { distant: 0.04, 'close-up': 0.16, dermoscopic: 0.3 }[recipe.view];
  const radius = short * lesionFraction * (0.8 + random.next() * 0.4);
  const cx = w * (0.4 + random.next() * 0.2);
  const cy = h * (0.4 + random.next() * 0.2);
  const phases = [random.next(), random.next(), random.next()].map((p) => p * Math.PI * 2);
  const wobble = 0.08 + random.next() * 0.15;
  const networkPitch = 5 + random.next() * 4;
  const [sr, sg, sb] = recipe.skin;
  const [pr, pg, pb] = recipe.pigment;
  const fieldRadius = short * 0.48;

  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const dx = x - cx;
      const dy = y - cy;
      // Light falls off towards the corners of a handheld photograph.
      const light = 1 - 0.25 * (((x - w / 2) / w) ** 2 + ((y - h / 2) / h) ** 2) * 4;
      let r = sr * light;
      let g = sg * light;
      let b = sb * light;

      if (recipe.view === 'distant' && ((x - w / 2) / (w * 0.42)) ** 2 + ((y - h / 2) / (h * 0.7)) ** 2 > 1) {
        // A clinical drape behind the limb.
        r = 70;
        g = 96;
        b = 120;
      } else {
        const angle = Math.atan2(dy, dx);
        const border =
          radius *
          (1 +
            wobble * Math.sin(3 * angle + (phases[0] ?? 0)) +
            wobble * 0.6 * Math.sin(5 * angle + (phases[1] ?? 0)) +
            wobble * 0.3 * Math.sin(11 * angle + (phases[2] ?? 0)));
        const d = Math.sqrt(dx * dx + dy * dy) / border;
        if (d < 1.15) {
          // Pigment darkest in the centre, fading through a soft border.
          let weight = d < 0.85 ? 1 - 0.35 * d : Math.max(0, (1.15 - d) / 0.3) * 0.7;
          if (recipe.view === 'dermoscopic' && d < 0.95) {
            // A reticular pigment network: two wavy families of lines.
            const across = Math.abs(Math.sin(x / networkPitch + 0.7 * Math.sin(y / (3 * networkPitch))));
            const down = Math.abs(Math.sin(y / networkPitch + 0.7 * Math.sin(x / (3 * networkPitch))));
            if (across < 0.2 || down < 0.2) weight = Math.min(1, weight + 0.3);
          }
          r = r * (1 - weight) + pr * weight;
          g = g * (1 - weight) + pg * weight;
          b = b * (1 - weight) + pb * weight;
        }
      }
      if (recipe.view === 'dermoscopic' && Math.sqrt((x - w / 2) ** 2 + (y - h / 2) ** 2) > fieldRadius) {
        r = g = b = 8;
      }
      const grain = (random.next() - 0.5) * 14;
      pixels[i] = r + grain;
      pixels[i + 1] = g + grain;
      pixels[i + 2] = b + grain;
    }
  }

  // Nearest-neighbour enlargement softened by a small blur costs a sixth of a cubic resize and
  // looks the same at any zoom a consultant would use on synthetic skin.
  return sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
    .resize(recipe.width, recipe.height, { kernel: 'nearest' })
    .blur(2)
    .jpeg({ quality: 88, optimiseCoding: false })
    .toBuffer();
}
