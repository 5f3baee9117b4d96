/**
 * Starts the download of the certificates that verify Chat's tokens when an
 * instance starts, so the first request, which cannot be answered before
 * they arrive, does not wait for a download it could have overlapped with
 * start-up. The key cache (`keys.ts`) still decides when to fetch: the first
 * fetch of the certificate URL is answered with the download already under
 * way, and every later one fetches as usual.
 */
import type { Config } from '../config.js';
import { lightFetch, type FetchLike, type HttpAnswer } from '../http/client.js';

/** How long the early download may take (the key cache's own limit). */
const TIMEOUT_MS = 5_000;

/**
 * A fetch for the key cache whose first call is answered by a download
 * started now; undefined when verification is off. Call it from an entry
 * module only: it opens a connection.
 */
export function prefetchCertificates(
  config: Pick<Config, 'chatVerification' | 'chatAudienceKind' | 'chatCertsUrl' | 'googleCertsUrl'>,
  fetchImpl: FetchLike = lightFetch,
): FetchLike | undefined {
  if (config.chatVerification !== 'on') return undefined;
  // The same choice as `verifierFromConfig`: project-number tokens are signed by Chat's keys.
  const url =
    config.chatAudienceKind === 'project-number' ? config.chatCertsUrl : config.googleCertsUrl;
  let early: Promise<HttpAnswer> | undefined = fetchImpl(url, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // A failed early download is only a missed head start; the key cache fetches again.
  early.catch(() => undefined);
  return (requested, init) => {
    const started = requested === url ? early : undefined;
    early = undefined;
    if (started === undefined) return fetchImpl(requested, init);
    return started.then(
      (response) => (response.ok ? response : fetchImpl(requested, init)),
      () => fetchImpl(requested, init),
    );
  };
}
