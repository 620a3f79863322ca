/** `npm run hub -- --cases 500 --port 8080 --seed 7`: the demo hub on its own. */
import { parseArgs } from 'node:util';
import { startDemoHub } from './demo-hub';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '40' },
    port: { type: 'string', default: '8080' },
    seed: { type: 'string', default: '1' },
  },
});

const toCount = (name: string, value: string, max: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    console.error(`--${name} must be a whole number from 0 to ${max}, not "${value}"`);
    process.exit(2);
  }
  return n;
};

async function main(): Promise<void> {
  const started = performance.now();
  const hub = await startDemoHub({
    cases: toCount('cases', values.cases, 100_000),
    port: toCount('port', values.port, 65_535),
    seed: toCount('seed', values.seed, 2 ** 31),
  });
  console.log(`Demo hub (synthetic patients only): ${hub.caseCount} cases in ${Math.round(performance.now() - started)} ms`);
  console.log(`FHIR R4 base URL: ${hub.baseUrl}`);
  const stop = (): void => void hub.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
