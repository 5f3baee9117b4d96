/**
 * Spacelog's configuration: the only module that reads the environment. Every
 * setting has a name (its environment variable), a default, a validator and a
 * line of documentation; `loadConfig` takes the environment as a plain object
 * and rejects a bad value with a message that names the setting and what it
 * accepts. The README's configuration table is printed from `SETTINGS` by
 * `npm run config:table`, and a test keeps the two in step.
 */
import { misconfigured } from './errors.js';

/** One setting: how it is read, what it accepts, and what it is for. */
export interface Setting<T> {
  readonly env: string;
  /** The raw default, or undefined when the setting is optional. */
  readonly default: string | undefined;
  /** What the setting accepts, for error messages and the README. */
  readonly accepts: string;
  readonly doc: string;
  readonly parse: (raw: string) => T | undefined;
}

function setting<T, const D extends string | undefined>(
  env: string,
  def: D,
  accepts: string,
  parse: (raw: string) => T | undefined,
  doc: string,
): Setting<T> & { readonly default: D } {
  return { env, default: def, accepts, parse, doc };
}

const text = <const D extends string | undefined>(env: string, def: D, doc: string) =>
  setting(env, def, 'any text', (raw) => raw, doc);

const int = (env: string, def: string, min: number, max: number, doc: string) =>
  setting(
    env,
    def,
    `an integer from ${min} to ${max}`,
    (raw) => {
      const n = Number(raw);
      return /^-?\d+$/.test(raw.trim()) && n >= min && n <= max ? n : undefined;
    },
    doc,
  );

const bool = (env: string, def: string, doc: string) =>
  setting(
    env,
    def,
    'true or false',
    (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined),
    doc,
  );

const oneOf = <const T extends string>(env: string, def: T, values: readonly T[], doc: string) =>
  setting<T, T>(
    env,
    def,
    `one of ${values.join(', ')}`,
    (raw) => values.find((v) => v === raw),
    doc,
  );

const url = <const D extends string | undefined>(env: string, def: D, doc: string) =>
  setting(
    env,
    def,
    'an http(s) URL',
    (raw) => {
      try {
        const u = new URL(raw);
        return u.protocol === 'https:' || u.protocol === 'http:'
          ? raw.replace(/\/$/, '')
          : undefined;
      } catch {
        return undefined;
      }
    },
    doc,
  );

const list = (env: string, def: string, doc: string) =>
  setting(
    env,
    def,
    'a comma-separated list',
    (raw) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    doc,
  );

/** Every setting Spacelog knows, keyed by the name the code uses. */
export const SETTINGS = {
  // Runtime
  projectId: text('GOOGLE_CLOUD_PROJECT', 'spacelog-local', 'Google Cloud project id.'),
  projectNumber: setting(
    'GOOGLE_CLOUD_PROJECT_NUMBER',
    undefined,
    'digits',
    (raw) => (/^\d+$/.test(raw) ? raw : undefined),
    'Project number; the audience of project-number Chat tokens and part of the add-on service agent.',
  ),
  region: text('FUNCTION_REGION', 'us-central1', 'Region the functions run in.'),
  onGoogleCloud: setting(
    'K_SERVICE',
    undefined,
    'any text (set by Cloud Run)',
    (raw) => raw !== '',
    'Set by Cloud Run; its presence means Spacelog runs on Google Cloud, where local-only settings are refused.',
  ),
  nodeEnv: text(
    'NODE_ENV',
    undefined,
    'Must be `production` on Google Cloud (Terraform sets it): Express, inside the functions framework, then answers a body it cannot parse without a stack trace.',
  ),
  functionTarget: text(
    'FUNCTION_TARGET',
    undefined,
    'Set by the functions framework: the function this instance serves. Unset locally, where every function loads.',
  ),
  logLevel: oneOf(
    'LOG_LEVEL',
    'INFO',
    ['DEBUG', 'INFO', 'WARNING', 'ERROR'],
    'Lowest severity logged.',
  ),

  // Verification of requests from Chat
  chatVerification: oneOf(
    'CHAT_VERIFICATION',
    'on',
    ['on', 'off-local-only'],
    'Request token verification. `off-local-only` turns it off and is refused on Google Cloud.',
  ),
  chatAudienceKind: oneOf(
    'CHAT_AUDIENCE_KIND',
    'endpoint-url',
    ['project-number', 'endpoint-url', 'add-on'],
    'Which kind of token Chat sends, as chosen on the Chat API configuration page.',
  ),
  chatAudience: text(
    'CHAT_AUDIENCE',
    undefined,
    'Expected `aud`: the project number, or the exact endpoint URL (add-ons: with its query string).',
  ),
  chatAddonServiceAgent: text(
    'CHAT_ADDON_SERVICE_AGENT',
    undefined,
    'Add-on tokens: the expected `email`, `service-<project-number>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`.',
  ),
  maxBodyBytes: int(
    'MAX_BODY_BYTES',
    '262144',
    1024,
    10485760,
    'Largest interaction body accepted; larger gets 413.',
  ),
  replyDeadlineMs: int(
    'REPLY_DEADLINE_MS',
    '25000',
    1000,
    29000,
    'Watchdog: a synchronous reply is sent by then even if a handler overruns (Chat allows 30 s).',
  ),

  // Base URLs of every Google endpoint, so the whole system can run against local servers
  chatApiUrl: url('CHAT_API_URL', 'https://chat.googleapis.com', 'Chat REST API base URL.'),
  workspaceEventsUrl: url(
    'WORKSPACE_EVENTS_URL',
    'https://workspaceevents.googleapis.com',
    'Google Workspace Events API base URL.',
  ),
  oauthAuthUrl: url(
    'OAUTH_AUTH_URL',
    'https://accounts.google.com/o/oauth2/v2/auth',
    'OAuth authorization endpoint users are sent to.',
  ),
  oauthTokenUrl: url(
    'OAUTH_TOKEN_URL',
    'https://oauth2.googleapis.com/token',
    'OAuth token endpoint.',
  ),
  oauthRevokeUrl: url(
    'OAUTH_REVOKE_URL',
    'https://oauth2.googleapis.com/revoke',
    'OAuth revocation endpoint.',
  ),
  chatCertsUrl: url(
    'CHAT_CERTS_URL',
    'https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com',
    'X.509 certificates for project-number Chat tokens.',
  ),
  googleCertsUrl: url(
    'GOOGLE_CERTS_URL',
    'https://www.googleapis.com/oauth2/v1/certs',
    'Google OAuth certificates (PEM) for ID tokens.',
  ),
  secretManagerUrl: url(
    'SECRET_MANAGER_URL',
    'https://secretmanager.googleapis.com',
    'Secret Manager base URL.',
  ),
  pubsubUrl: url(
    'PUBSUB_URL',
    'https://pubsub.googleapis.com',
    'Pub/Sub REST base URL used to publish.',
  ),

  metadataHost: setting(
    'GCE_METADATA_HOST',
    'metadata.google.internal',
    'a host name, optionally with :port',
    (raw) => (/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(raw) ? raw : undefined),
    'Metadata server that hands a function on Google Cloud its access token (the variable google-auth-library reads too).',
  ),

  runtimeCredentials: oneOf(
    'RUNTIME_CREDENTIALS',
    'adc',
    ['adc', 'none-local-only'],
    'Credentials for calls the function makes as itself (Secret Manager, Pub/Sub): Application Default Credentials, or none against local stand-ins and emulators (refused on Google Cloud).',
  ),

  // Firestore and the event log
  eventStore: oneOf(
    'EVENT_STORE',
    'firestore',
    ['firestore', 'memory'],
    'Where the event log lives. `memory` is for tests and the local stack without an emulator.',
  ),
  firestoreDatabase: text('FIRESTORE_DATABASE', '(default)', 'Firestore database id.'),
  firestoreEmulatorHost: text(
    'FIRESTORE_EMULATOR_HOST',
    undefined,
    'host:port of the Firestore emulator; read by the client library too. Refused on Google Cloud.',
  ),
  storeMessageText: bool(
    'STORE_MESSAGE_TEXT',
    'false',
    'Keep message text in the event log. Off: only lengths, ids and command names are kept.',
  ),
  rejectedRetentionDays: int(
    'REJECTED_RETENTION_DAYS',
    '14',
    1,
    365,
    'How long refused inputs are kept for operators (Firestore TTL).',
  ),
  rejectedMaxBytes: int(
    'REJECTED_MAX_BYTES',
    '8192',
    256,
    65536,
    'Bytes of a refused input kept (the rest is cut).',
  ),
  rejectedMaxWritesPerMinute: int(
    'REJECTED_MAX_WRITES_PER_MINUTE',
    '60',
    1,
    100000,
    'Refused inputs written per minute, per instance; beyond it they are only counted (a flood guard).',
  ),

  // Secrets
  serviceAccountKeySecret: text(
    'SERVICE_ACCOUNT_KEY_SECRET',
    'spacelog-chat-sa-key',
    'Secret holding the Chat app service-account key (JSON).',
  ),
  serviceAccountKeyVersion: setting(
    'SERVICE_ACCOUNT_KEY_VERSION',
    'latest',
    '`latest` or a version number',
    (raw) => (raw === 'latest' || /^\d+$/.test(raw) ? raw : undefined),
    'Version of the service-account key secret.',
  ),
  tokenEncryptionKeySecret: text(
    'TOKEN_ENCRYPTION_KEY_SECRET',
    'spacelog-token-key',
    'Secret holding the 32-byte AES-256-GCM key (base64) that encrypts stored refresh tokens.',
  ),
  oauthClientSecretSecret: text(
    'OAUTH_CLIENT_SECRET_SECRET',
    'spacelog-oauth-client-secret',
    'Secret holding the OAuth client secret for user sign-in.',
  ),
  webhookSecretPrefix: text(
    'WEBHOOK_SECRET_PREFIX',
    'spacelog-webhook-',
    'Prefix of the secrets holding incoming-webhook URLs, one per space (prefix + space id).',
  ),

  // Pub/Sub topics Spacelog publishes to (short names in the project)
  alertsTopic: text('ALERTS_TOPIC', 'spacelog-alerts', 'Topic for alerts and incident commands.'),
  digestJobsTopic: text(
    'DIGEST_JOBS_TOPIC',
    'spacelog-digest-jobs',
    'Topic for one-space digest jobs.',
  ),
  workspaceEventsTopic: text(
    'WORKSPACE_EVENTS_TOPIC',
    'spacelog-workspace-events',
    'Topic Workspace Events subscriptions deliver to.',
  ),

  // Chat app behaviour
  commandIdHelp: text('COMMAND_ID_HELP', '1', 'Command id of `/help`.'),
  commandIdDigest: text('COMMAND_ID_DIGEST', '2', 'Command id of `/digest`.'),
  commandIdIncident: text('COMMAND_ID_INCIDENT', '3', 'Command id of `/incident`.'),
  commandIdSignout: text('COMMAND_ID_SIGNOUT', '4', 'Command id of `/signout`.'),
  commandIdMyspaces: text('COMMAND_ID_MYSPACES', '5', 'Command id of `/myspaces`.'),

  // Outbound
  chatApiMaxAttempts: int(
    'CHAT_API_MAX_ATTEMPTS',
    '6',
    1,
    20,
    'Attempts per Chat API call (429, 5xx, timeouts).',
  ),
  chatApiTimeoutMs: int(
    'CHAT_API_TIMEOUT_MS',
    '10000',
    100,
    60000,
    'Timeout of one Chat API attempt.',
  ),
  chatApiDeadlineMs: int(
    'CHAT_API_DEADLINE_MS',
    '60000',
    1000,
    540000,
    'Time budget of one call, retries included.',
  ),
  spaceWritesPerMinute: int(
    'SPACE_WRITES_PER_MINUTE',
    '60',
    1,
    600,
    'Writes to one space per minute, per instance (Chat allows 60 across all apps).',
  ),
  projectWritesPerMinute: int(
    'CHAT_PROJECT_WRITES_PER_MINUTE',
    '3000',
    1,
    100000,
    'Chat API writes per minute across all spaces, per instance (Chat allows 3,000 message writes per project).',
  ),
  appScopesApproved: bool(
    'CHAT_APP_SCOPES_APPROVED',
    'false',
    'An administrator approved the `chat.app.*` scopes, so the app creates spaces itself.',
  ),
  incidentSpaceMode: oneOf(
    'INCIDENT_SPACE_MODE',
    'app',
    ['app', 'delegated', 'user'],
    'How incident spaces are made: by the app (`chat.app.*`), as `INCIDENT_DELEGATED_USER` through domain-wide delegation, or as the user who asked.',
  ),
  incidentDelegatedUser: text(
    'INCIDENT_DELEGATED_USER',
    undefined,
    'Email of the user impersonated when `INCIDENT_SPACE_MODE` is `delegated`.',
  ),
  incidentResponders: list(
    'INCIDENT_RESPONDERS',
    '',
    'Chat users (`users/ID` or emails) added to every incident space besides those the alert names.',
  ),

  // User sign-in
  oauthClientId: text('OAUTH_CLIENT_ID', undefined, 'OAuth client id for user sign-in.'),
  oauthRedirectUrl: url(
    'OAUTH_REDIRECT_URL',
    undefined,
    'The URL of `oauthCallback`, registered as the OAuth client redirect URI.',
  ),
  oauthStateTtlSeconds: int(
    'OAUTH_STATE_TTL_SECONDS',
    '600',
    60,
    3600,
    'Lifetime of a sign-in `state`.',
  ),
  chatRedirectOrigins: list(
    'CHAT_REDIRECT_ORIGINS',
    'https://chat.google.com',
    "Origins Chat's `configCompleteRedirectUrl` may have; sign-in sends the browser back only there (add the local Chat page's origin locally).",
  ),
  userTokenRefreshMarginSeconds: int(
    'USER_TOKEN_REFRESH_MARGIN_SECONDS',
    '300',
    30,
    1800,
    "A user's access token is refreshed this long before it expires.",
  ),
  userTokenLeaseSeconds: int(
    'USER_TOKEN_LEASE_SECONDS',
    '20',
    5,
    120,
    "Longest one instance holds the lease to refresh a user's token; the others wait for it.",
  ),

  // Digests
  digestQuiet: oneOf(
    'DIGEST_QUIET',
    'note',
    ['note', 'skip'],
    'A period with no activity gets a short note, or no digest.',
  ),
  digestDefaultTime: setting(
    'DIGEST_DEFAULT_TIME',
    '09:00',
    'HH:MM (24-hour)',
    (raw) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(raw) ? raw : undefined),
    'Time of day new digests are scheduled at, in the space time zone.',
  ),
  digestTickMaxSpaces: int(
    'DIGEST_TICK_MAX_SPACES',
    '5000',
    1,
    100000,
    'Due spaces one scheduler tick publishes jobs for, oldest due first; the rest wait for the next tick.',
  ),
  digestPublishConcurrency: int(
    'DIGEST_PUBLISH_CONCURRENCY',
    '32',
    1,
    500,
    'Digest jobs one tick publishes at once.',
  ),
  workspaceEventsTtlSeconds: int(
    'WORKSPACE_EVENTS_TTL_SECONDS',
    '14400',
    600,
    14400,
    'Lifetime asked for a space subscription at creation and renewal (4 h at most with resource data).',
  ),
  workspaceEventsRenewWithinMinutes: int(
    'WORKSPACE_EVENTS_RENEW_WITHIN_MINUTES',
    '90',
    5,
    1440,
    'The tick renews subscriptions expiring within this many minutes; keep it above the tick interval.',
  ),
  workspaceEventsCatchUpPages: int(
    'WORKSPACE_EVENTS_CATCH_UP_PAGES',
    '20',
    1,
    1000,
    'Pages of 100 messages one catch-up after a lapsed subscription reads at most.',
  ),
} as const;

type Settings = typeof SETTINGS;

/** The parsed configuration; settings without a value are undefined. */
export type Config = {
  readonly [K in keyof Settings]: Settings[K] extends Setting<infer T>
    ? Settings[K]['default'] extends string
      ? T
      : T | undefined
    : never;
};

/** The environment as a plain object, so tests pass their own. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads every setting from `env`. Throws a `misconfigured` error naming the
 * setting and what it accepts when a value is bad, and refuses local-only
 * settings on Google Cloud.
 */
export function loadConfig(env: Environment): Config {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[s.env];
    const value = raw === undefined || raw === '' ? s.default : raw;
    if (value === undefined) {
      out[key] = undefined;
      continue;
    }
    const parsed = s.parse(value);
    if (parsed === undefined) {
      throw misconfigured(`Setting ${s.env} is invalid: it accepts ${s.accepts}.`, {
        setting: s.env,
      });
    }
    out[key] = parsed;
  }
  const config = out as Config;
  refuseLocalOnlyOnGoogleCloud(config);
  return config;
}

function refuseLocalOnlyOnGoogleCloud(config: Config): void {
  if (config.onGoogleCloud !== true) return;
  if (config.chatVerification !== 'on') {
    throw misconfigured(
      'Setting CHAT_VERIFICATION=off-local-only is refused on Google Cloud: remove it.',
      { setting: 'CHAT_VERIFICATION' },
    );
  }
  if (config.runtimeCredentials !== 'adc') {
    throw misconfigured('Setting RUNTIME_CREDENTIALS=none-local-only is refused on Google Cloud.', {
      setting: 'RUNTIME_CREDENTIALS',
    });
  }
  if (config.eventStore === 'memory' || config.firestoreEmulatorHost !== undefined) {
    throw misconfigured('Settings EVENT_STORE=memory and FIRESTORE_EMULATOR_HOST are local only.', {
      setting: 'EVENT_STORE',
    });
  }
  if (config.nodeEnv !== 'production') {
    throw misconfigured(
      'Setting NODE_ENV must be production on Google Cloud, so no error page shows a stack.',
      { setting: 'NODE_ENV' },
    );
  }
}

/**
 * Returns the value of a setting a function cannot run without, or throws a
 * start-up error naming it.
 */
export function required<K extends keyof Config>(
  config: Config,
  key: K,
  why: string,
): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) {
    const s = SETTINGS[key] as Setting<unknown>;
    throw misconfigured(`Setting ${s.env} is required ${why}: it accepts ${s.accepts}.`, {
      setting: s.env,
    });
  }
  return value;
}

/** Markdown rows for the README: setting, default, accepts, meaning. */
export function configTable(): string {
  const rows = Object.values(SETTINGS).map((s: Setting<unknown>) => {
    const def =
      s.default === undefined ? '(unset)' : s.default === '' ? '(empty)' : `\`${s.default}\``;
    return `| \`${s.env}\` | ${def} | ${s.accepts} | ${s.doc} |`;
  });
  return ['| Setting | Default | Accepts | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** Reads the real process environment; only entry modules call this. */
export function loadProcessConfig(): Config {
  return loadConfig(process.env);
}

/**
 * The function this instance serves (`FUNCTION_TARGET`, set by the functions
 * framework), without parsing anything else, so the package's main module can
 * load only that function's code.
 */
export function selectedFunction(env: Environment = process.env): string | undefined {
  const target = env['FUNCTION_TARGET'];
  return target === undefined || target === '' ? undefined : target;
}
