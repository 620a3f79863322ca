/**
 * `npm run hub -- --cases 500 --port 8080 --seed 7`: the demo hub on its own.
 * `--other-referrals N --unreferred-patients N` set how much of the shared server is not
 * teledermatology (five and ten for each case unless given).
 * `--without chained-search,Consent.data` plays a lesser server (demo-hub.ts lists what can go).
 * `--max-url 2048` refuses longer request addresses (414), as some servers and proxies do.
 * `--fault-rate 0.2` makes one request in five fail in a random way, to try the desk against a
 * flaky server.
 */
import { parseArgs } from 'node:util';
import { startDemoHub } from './demo-hub';
import { randomFaults } from './faults';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '40' },
    'other-referrals': { type: 'string' },
    'unreferred-patients': { type: 'string' },
    port: { type: 'string', default: '8080' },
    seed: { type: 'string', default: '1' },
    'fault-rate': { type: 'string', default: '0' },
    without: { type: 'string', default: '' },
    'max-url': { type: 'string' },
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
  const faultRate = Number(values['fault-rate']);
  if (!(faultRate >= 0 && faultRate <= 1)) {
    console.error(`--fault-rate must be between 0 and 1, not "${values['fault-rate']}"`);
    process.exit(2);
  }
  const started = performance.now();
  const seed = toCount('seed', values.seed, 2 ** 31);
  const hub = await startDemoHub({
    cases: toCount('cases', values.cases, 100_000),
    ...(values['other-referrals'] === undefined ? {} : { otherReferrals: toCount('other-referrals', values['other-referrals'], 1_000_000) }),
    ...(values['unreferred-patients'] === undefined ? {} : { unreferredPatients: toCount('unreferred-patients', values['unreferred-patients'], 1_000_000) }),
    port: toCount('port', values.port, 65_535),
    seed,
    without: values.without.split(',').map((w) => w.trim()).filter(Boolean),
    ...(values['max-url'] === undefined ? {} : { maxUrlChars: toCount('max-url', values['max-url'], 1_000_000) }),
    ...(faultRate > 0 ? { faults: randomFaults(faultRate, seed) } : {}),
  });
  const census = await hub.census();
  console.log(`Demo hub (synthetic patients only), started in ${Math.round(performance.now() - started)} ms`);
  console.log(`A shared trust server: ${census.ServiceRequest} referrals to ${census.HealthcareService} services and ${census.Patient} patients.`);
  console.log(`${hub.caseCount} referrals (and some patients' earlier ones) are addressed to the teledermatology service ${hub.service};`);
  console.log('the rest are other specialties\' work and patients never referred, which the desk must leave alone.');
  console.log(`FHIR R4 base URL: ${hub.baseUrl}   (desk: DESK_FHIR_BASE_URL=${hub.baseUrl} DESK_SERVICE=${hub.service})`);
  console.log(`Sign-in: OAuth 2 with PKCE, as found at ${hub.baseUrl}/.well-known/smart-configuration`);
  if (faultRate > 0) console.log(`Injecting faults into ${Math.round(faultRate * 100)}% of requests`);
  const stop = (): void => void hub.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // `npm run hub` stopped by a signal to npm alone: the shell between npm and this process dies
  // without passing the signal on, and this process is handed to init. Its parent changing says so.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
