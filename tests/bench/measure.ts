/** Shared by the benchmarks: timing, medians, and the one line each measure prints. */
import { median as medianOf } from '../../shared/session/session-summary';

export async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The median of measurements that were taken (an empty list is a broken benchmark). */
export function median(values: readonly number[]): number {
  const middle = medianOf(values);
  if (middle === null) throw new Error('nothing was measured');
  return middle;
}

/** The value below which `p` per cent of the measurements fall (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('nothing was measured');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Runs value and baseline alternately, `rounds` times each, and returns both medians. */
export async function compare(rounds: number, value: () => Promise<unknown>, baseline: () => Promise<unknown>): Promise<{ value: number; baseline: number }> {
  const values: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < rounds; i++) {
    baselines.push(await timeMs(baseline));
    values.push(await timeMs(value));
  }
  return { value: median(values), baseline: median(baselines) };
}

/** `BENCH <name> value=<v> baseline=<b> ratio=<r> target=<t>`: ratio is value/baseline, lower is better. */
export function report(name: string, value: number, baseline: number, target: number): { ratio: number; met: boolean } {
  const ratio = value / baseline;
  console.log(`BENCH ${name} value=${value.toFixed(1)} baseline=${baseline.toFixed(1)} ratio=${ratio.toFixed(3)} target=${target}`);
  return { ratio, met: ratio <= target };
}
