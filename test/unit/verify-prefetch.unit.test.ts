import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../shared/verify/keys.js';
import { prefetchCertificates } from '../../shared/verify/prefetch.js';

const config = {
  chatVerification: 'on',
  chatAudienceKind: 'endpoint-url',
  chatCertsUrl: 'https://certs.example.test/chat',
  googleCertsUrl: 'https://certs.example.test/google',
} as const;

/** A fetch that records each URL and answers with `statuses` in turn (then 200). */
function recordingFetch(statuses: (number | Error)[] = []) {
  const calls: string[] = [];
  const fetchImpl: FetchLike = (url) => {
    calls.push(url);
    const next = statuses.shift() ?? 200;
    return next instanceof Error
      ? Promise.reject(next)
      : Promise.resolve(new Response(`{"n":${calls.length}}`, { status: next }));
  };
  return { calls, fetchImpl };
}

const signal = () => AbortSignal.timeout(1000);

describe('certificate prefetch', () => {
  it('starts the download at once and answers the first fetch of that URL with it', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const fetchCerts = prefetchCertificates(config, fetchImpl)!;
    expect(calls).toEqual([config.googleCertsUrl]);

    const first = await fetchCerts(config.googleCertsUrl, { signal: signal() });
    expect(await first.json()).toEqual({ n: 1 });
    expect(calls).toHaveLength(1);

    const second = await fetchCerts(config.googleCertsUrl, { signal: signal() });
    expect(await second.json()).toEqual({ n: 2 });
    expect(calls).toHaveLength(2);
  });

  it("downloads Chat's own keys for project-number tokens", () => {
    const { calls, fetchImpl } = recordingFetch();
    prefetchCertificates({ ...config, chatAudienceKind: 'project-number' }, fetchImpl);
    expect(calls).toEqual([config.chatCertsUrl]);
  });

  it('fetches again when the early download failed or was refused', async () => {
    for (const failure of [new Error('unreachable'), 503]) {
      const { calls, fetchImpl } = recordingFetch([failure]);
      const fetchCerts = prefetchCertificates(config, fetchImpl)!;
      const response = await fetchCerts(config.googleCertsUrl, { signal: signal() });
      expect(response.status).toBe(200);
      expect(calls).toEqual([config.googleCertsUrl, config.googleCertsUrl]);
    }
  });

  it('starts nothing when verification is off', () => {
    const { calls, fetchImpl } = recordingFetch();
    expect(
      prefetchCertificates({ ...config, chatVerification: 'off-local-only' }, fetchImpl),
    ).toBeUndefined();
    expect(calls).toEqual([]);
  });
});
