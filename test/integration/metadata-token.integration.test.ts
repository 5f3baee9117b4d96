import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { metadataTokenHeaders } from '../../shared/metadata-token.js';
import { runtimeHeadersOnDemand } from '../../shared/runtime-headers.js';
import { startMetadata, type MetadataStandIn } from '../../local/standins/metadata.js';

let metadata: MetadataStandIn;

beforeEach(async () => {
  metadata = await startMetadata({ expiresInSeconds: 3600 });
});
afterEach(() => metadata.close());

describe("the function's token from the metadata server", () => {
  it('asks once, with Metadata-Flavor, and serves the token until five minutes before expiry', async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    const headers = metadataTokenHeaders({ host: metadata.host, clock });

    const first = await headers();
    expect(first).toEqual({ authorization: `Bearer ${metadata.issued[0]}` });
    clock.advance(54 * 60_000);
    expect(await headers()).toEqual(first);
    expect(metadata.requests).toBe(1);

    clock.advance(60_001); // now within five minutes of expiry
    const renewed = await headers();
    expect(metadata.requests).toBe(2);
    expect(renewed).toEqual({ authorization: `Bearer ${metadata.issued[1]}` });
    expect(renewed).not.toEqual(first);
  });

  it('shares one request among concurrent callers', async () => {
    const headers = metadataTokenHeaders({
      host: metadata.host,
      clock: manualClock('2026-12-04T10:00:00Z'),
    });
    const all = await Promise.all(Array.from({ length: 10 }, () => headers()));
    expect(metadata.requests).toBe(1);
    expect(new Set(all.map((h) => h['authorization'])).size).toBe(1);
  });

  it('fails as unavailable, naming no token, and asks again on the next call', async () => {
    const headers = metadataTokenHeaders({
      host: metadata.host,
      clock: manualClock('2026-12-04T10:00:00Z'),
    });
    metadata.failNext(1, 503);
    const failure = await headers().catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'unavailable' });
    expect(String((failure as Error).message)).toContain('503');

    const after = await headers();
    expect(metadata.requests).toBe(2);
    expect(after['authorization']).toBe(`Bearer ${metadata.issued[0]}`);
    expect(JSON.stringify(failure)).not.toContain('ya29');
  });

  it('is refused by the stand-in without the Metadata-Flavor header, as by the real server', async () => {
    const answer = await fetch(
      `http://${metadata.host}/computeMetadata/v1/instance/service-accounts/default/token`,
    );
    expect(answer.status).toBe(403);
    expect(metadata.issued).toHaveLength(0);
  });
});

describe('which credentials a function on the request path uses', () => {
  const clock = manualClock('2026-12-04T10:00:00Z');

  it('asks the metadata server on Google Cloud', async () => {
    const headers = runtimeHeadersOnDemand(
      { onGoogleCloud: true, runtimeCredentials: 'adc', metadataHost: metadata.host },
      clock,
    );
    expect(await headers()).toEqual({ authorization: `Bearer ${metadata.issued[0]}` });
    expect(metadata.requests).toBe(1);
  });

  it('sends nothing, and asks no metadata server, with local-only credentials', async () => {
    const headers = runtimeHeadersOnDemand(
      {
        onGoogleCloud: undefined,
        runtimeCredentials: 'none-local-only',
        metadataHost: metadata.host,
      },
      clock,
    );
    expect(await headers()).toEqual({});
    expect(metadata.requests).toBe(0);
  });
});
