/**
 * verify.chat-token: CPU time per verification of a Chat request token by
 * Spacelog's verifier (keys parsed once into KeyObjects), over
 * google-auth-library's `OAuth2Client.verifySignedJwtWithCertsAsync` on the
 * same tokens against the same certificates, in the same run. Both check
 * signature, audience, issuer and times; ours also checks the email claims.
 * Goal: ratio <= 0.25.
 *
 * Each of 200 tokens is verified 10 times per round, as a sender that reuses
 * a token for its lifetime would present it, so the deployed verifier
 * answers repeats from its accepted-token memory. A second figure,
 * `verify.chat-token.uncached`, shows the same verifier with that memory off
 * (every call checks the RS256 signature); its floor is one `crypto.verify`
 * with a KeyObject, about 28 µs on these machines.
 */
import { OAuth2Client } from 'google-auth-library';
import { systemClock } from '../shared/clock.js';
import { createKeyCache } from '../shared/verify/keys.js';
import { createChatVerifier } from '../shared/verify/verifier.js';
import { createSigningKey } from '../local/standins/keys.js';
import { mintEndpointIdToken } from '../local/standins/chat-tokens.js';
import { figure, median, type Bench } from './figure.js';

const TOKENS = 200;
const ROUNDS = 7;
const PASSES = 10; // passes over the tokens per round

/** CPU microseconds per call of `verify` over every token, `PASSES` times. */
async function cpuPerCall(tokens: readonly string[], verify: (t: string) => unknown) {
  const start = process.cpuUsage();
  for (let p = 0; p < PASSES; p += 1) for (const t of tokens) await verify(t);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (tokens.length * PASSES);
}

export const run: Bench = async () => {
  const googleKey = createSigningKey();
  const chatKey = createSigningKey();
  const audience = 'https://chat-events.example.test/';
  const certs = { [googleKey.kid]: googleKey.certificatePem };
  const tokens = Array.from({ length: TOKENS }, (_, i) =>
    mintEndpointIdToken({ googleKey, chatKey }, { audience, now: Date.now() - i * 1000 }),
  );

  const keys = createKeyCache({
    url: 'http://certs.invalid/oauth2/v1/certs',
    clock: systemClock,
    fetch: () =>
      Promise.resolve(
        new Response(JSON.stringify(certs), { headers: { 'cache-control': 'max-age=21600' } }),
      ),
  });
  const options = { kind: 'endpoint-url', audience, keys, clock: systemClock } as const;
  const uncached = createChatVerifier({ ...options, acceptedCacheSize: 0 });
  const client = new OAuth2Client();
  const issuers = ['https://accounts.google.com', 'accounts.google.com'];
  const theirs = (t: string) => client.verifySignedJwtWithCertsAsync(t, certs, audience, issuers);
  const mineUncached = (t: string) => uncached.verify(`Bearer ${t}`);

  // Warm both paths (JIT, our key cache) before measuring.
  await cpuPerCall(tokens, mineUncached);
  await cpuPerCall(tokens, theirs);
  const value: number[] = [];
  const cold: number[] = [];
  const baseline: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const fresh = createChatVerifier(options);
    value.push(await cpuPerCall(tokens, (t) => fresh.verify(`Bearer ${t}`)));
    cold.push(await cpuPerCall(tokens, mineUncached));
    baseline.push(await cpuPerCall(tokens, theirs));
  }
  const base = median(baseline);
  return [
    figure('verify.chat-token', median(value), 'µs CPU', base, { max: 0.25 }),
    figure('verify.chat-token.uncached', median(cold), 'µs CPU', base, { max: 0.25 }),
  ];
};
