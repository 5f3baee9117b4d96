/**
 * The settings every function gets in the local stack. This is the only place
 * the stack differs from a deployment: base URLs point at the stand-ins and
 * emulators, and the runtime's own credentials are off (local stand-ins need
 * none). The code reads them through `shared/config.ts` as on Google Cloud.
 */
import type { AudienceKind } from './options.js';
import { DEMO_OAUTH_CLIENT_ID, DEMO_PROJECT, DEMO_RESPONDERS } from './demo.js';

/** Where each function and endpoint of the stack listens. */
export interface StackEndpoints {
  /** The page that plays Chat: where Chat's configCompleteRedirectUrl points. */
  readonly pageUrl: string;
  readonly chatEventsUrl: string;
  readonly oauthCallbackUrl: string;
  readonly chatApiUrl: string;
  readonly oauthUrl: string;
  readonly chatCertsUrl: string;
  readonly googleCertsUrl: string;
  readonly secretManagerUrl: string;
  readonly pubsubUrl: string;
  readonly workspaceEventsUrl?: string;
  /** `127.0.0.1:PORT` of the Firestore emulator; absent means the in-memory event log. */
  readonly firestoreEmulatorHost?: string;
}

/** The audience Chat puts in its tokens for this kind, as the configuration page sets it. */
export function chatAudience(kind: AudienceKind, chatEventsUrl: string): string {
  return kind === 'project-number' ? DEMO_PROJECT.number : chatEventsUrl;
}

/** The add-on service agent of the demo project. */
export const ADD_ON_SERVICE_AGENT = `service-${DEMO_PROJECT.number}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;

/** The functions' environment (settings only; the caller adds PATH and the like). */
export function functionEnvironment(
  endpoints: StackEndpoints,
  kind: AudienceKind,
): Record<string, string> {
  const env: Record<string, string> = {
    GOOGLE_CLOUD_PROJECT: DEMO_PROJECT.id,
    GOOGLE_CLOUD_PROJECT_NUMBER: DEMO_PROJECT.number,
    CHAT_VERIFICATION: 'on',
    CHAT_AUDIENCE_KIND: kind,
    CHAT_AUDIENCE: chatAudience(kind, endpoints.chatEventsUrl),
    CHAT_ADDON_SERVICE_AGENT: ADD_ON_SERVICE_AGENT,
    CHAT_API_URL: endpoints.chatApiUrl,
    OAUTH_AUTH_URL: `${endpoints.oauthUrl}/o/oauth2/v2/auth`,
    OAUTH_TOKEN_URL: `${endpoints.oauthUrl}/token`,
    OAUTH_REVOKE_URL: `${endpoints.oauthUrl}/revoke`,
    CHAT_CERTS_URL: endpoints.chatCertsUrl,
    GOOGLE_CERTS_URL: endpoints.googleCertsUrl,
    SECRET_MANAGER_URL: endpoints.secretManagerUrl,
    PUBSUB_URL: endpoints.pubsubUrl,
    RUNTIME_CREDENTIALS: 'none-local-only',
    OAUTH_CLIENT_ID: DEMO_OAUTH_CLIENT_ID,
    OAUTH_REDIRECT_URL: endpoints.oauthCallbackUrl,
    CHAT_REDIRECT_ORIGINS: new URL(endpoints.pageUrl).origin,
    CHAT_APP_SCOPES_APPROVED: 'true',
    INCIDENT_SPACE_MODE: 'app',
    INCIDENT_RESPONDERS: DEMO_RESPONDERS.join(','),
  };
  if (endpoints.workspaceEventsUrl !== undefined) {
    env['WORKSPACE_EVENTS_URL'] = endpoints.workspaceEventsUrl;
  }
  if (endpoints.firestoreEmulatorHost !== undefined) {
    env['EVENT_STORE'] = 'firestore';
    env['FIRESTORE_EMULATOR_HOST'] = endpoints.firestoreEmulatorHost;
  } else {
    env['EVENT_STORE'] = 'memory';
  }
  return env;
}

/** The parent's environment without what would make a function think it is on Cloud Run. */
export function inheritedEnvironment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  const names = ['K_SERVICE', 'K_REVISION', 'FUNCTION_TARGET', 'SPACELOG_SERVE', 'PORT'];
  // The stack's own emulators (or none) are the ones the functions get.
  names.push('FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST');
  for (const name of names) {
    delete env[name];
  }
  return env;
}
