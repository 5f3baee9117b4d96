/**
 * Builds the Chat request verifier from configuration, failing closed: with
 * verification on, a missing audience (or add-on service agent) stops the
 * function at start-up with a message naming the setting. Verification is
 * off only with `CHAT_VERIFICATION=off-local-only`, which configuration
 * refuses on Google Cloud.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { misconfigured } from '../errors.js';
import { createKeyCache, type FetchLike } from './keys.js';
import { acceptAnyToken, createChatVerifier, type ChatVerifier } from './verifier.js';

/** The settings the verifier reads. */
export type VerifierConfig = Pick<
  Config,
  | 'chatVerification'
  | 'chatAudienceKind'
  | 'chatAudience'
  | 'chatAddonServiceAgent'
  | 'projectNumber'
  | 'chatCertsUrl'
  | 'googleCertsUrl'
>;

/** The verifier this configuration asks for; throws `misconfigured` when it cannot be built. */
export function verifierFromConfig(
  config: VerifierConfig,
  clock: Clock,
  fetch?: FetchLike,
): ChatVerifier {
  if (config.chatVerification === 'off-local-only') return acceptAnyToken;
  const kind = config.chatAudienceKind;
  const audience =
    config.chatAudience ?? (kind === 'project-number' ? config.projectNumber : undefined);
  if (audience === undefined) {
    const fallback = kind === 'project-number' ? ' (or GOOGLE_CLOUD_PROJECT_NUMBER)' : '';
    throw misconfigured(
      `Setting CHAT_AUDIENCE${fallback} is required when CHAT_AUDIENCE_KIND is ${kind}: ` +
        'it accepts the exact audience Chat puts in its tokens.',
      { setting: 'CHAT_AUDIENCE' },
    );
  }
  if (kind === 'project-number' && !/^\d+$/.test(audience)) {
    throw misconfigured('Setting CHAT_AUDIENCE must be the project number (digits).', {
      setting: 'CHAT_AUDIENCE',
    });
  }

  const addOnServiceAgent = kind === 'add-on' ? serviceAgentOf(config) : undefined;
  const url = kind === 'project-number' ? config.chatCertsUrl : config.googleCertsUrl;
  const keys = createKeyCache({ url, clock, ...(fetch ? { fetch } : {}) });
  return createChatVerifier({ kind, audience, addOnServiceAgent, keys, clock });
}

function serviceAgentOf(config: VerifierConfig): string {
  if (config.chatAddonServiceAgent !== undefined) return config.chatAddonServiceAgent;
  if (config.projectNumber !== undefined) {
    return `service-${config.projectNumber}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;
  }
  throw misconfigured(
    'Setting CHAT_ADDON_SERVICE_AGENT (or GOOGLE_CLOUD_PROJECT_NUMBER) is required when CHAT_AUDIENCE_KIND is add-on.',
    { setting: 'CHAT_ADDON_SERVICE_AGENT' },
  );
}
