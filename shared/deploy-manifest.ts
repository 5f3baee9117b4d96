/**
 * What each deployed function needs from its platform: how it is invoked, the
 * topics it consumes and publishes to, the secrets it reads and the settings
 * that must be set for it. Terraform (`terraform/`) grants exactly this and a
 * test holds the two together, so whoever changes what a function reads or
 * publishes changes this file in the same commit. Data only: nothing here
 * runs at deploy time or at run time.
 */
import type { SETTINGS } from './config.js';

/** A setting's key in `SETTINGS`. */
export type SettingKey = keyof typeof SETTINGS;

/** The Pub/Sub topics Spacelog deploys, by role. */
export type TopicRole =
  'interactions' | 'workspaceEvents' | 'alerts' | 'digestTicks' | 'digestJobs';

/** Settings that hold a secret's name (or, for webhooks, a name prefix). */
export type SecretSettingKey = Extract<
  SettingKey,
  | 'serviceAccountKeySecret'
  | 'tokenEncryptionKeySecret'
  | 'oauthClientSecretSecret'
  | 'webhookSecretPrefix'
>;

/** The deployment needs of one function. */
export interface FunctionDeployment {
  /** Name registered with `functions.http` or `functions.cloudEvent`. */
  readonly entryPoint: string;
  /** `http`: called directly (Chat, browsers); `cloudevent`: Pub/Sub push. */
  readonly signature: 'http' | 'cloudevent';
  /** Who may invoke it over HTTP: Chat only, anyone, or only its subscriptions. */
  readonly invokers: 'chat' | 'public' | 'pubsub';
  /** Topics whose messages are pushed to it. */
  readonly consumes: readonly TopicRole[];
  /** Topics it publishes to with its own identity. */
  readonly publishesTo: readonly TopicRole[];
  /**
   * Secrets it reads from Secret Manager, by the setting that names them.
   * `webhookSecretPrefix` stands for every per-space webhook secret.
   */
  readonly secrets: readonly SecretSettingKey[];
  /**
   * Settings the deployment must set for it (some matter for one Chat app
   * kind only, such as `chatAddonServiceAgent`, and may be set empty).
   */
  readonly requiredSettings: readonly SettingKey[];
}

/** Topics whose name the code reads from a setting (the others it only consumes). */
export const TOPIC_SETTINGS: Readonly<Partial<Record<TopicRole, SettingKey>>> = {
  workspaceEvents: 'workspaceEventsTopic',
  alerts: 'alertsTopic',
  digestJobs: 'digestJobsTopic',
};

/** Every function Spacelog deploys. */
export const DEPLOY_MANIFEST: readonly FunctionDeployment[] = [
  {
    entryPoint: 'chatEvents',
    signature: 'http',
    invokers: 'chat',
    consumes: [],
    publishesTo: ['alerts'],
    secrets: [],
    requiredSettings: [
      'projectId',
      'chatAudienceKind',
      'chatAudience',
      'chatAddonServiceAgent',
      'alertsTopic',
    ],
  },
  {
    entryPoint: 'chatPubsub',
    signature: 'cloudevent',
    invokers: 'pubsub',
    consumes: ['interactions', 'workspaceEvents', 'alerts', 'digestJobs'],
    // `/incident` arriving over Pub/Sub is published as a command, as chatEvents does.
    publishesTo: ['alerts'],
    secrets: [
      'serviceAccountKeySecret',
      'webhookSecretPrefix',
      'tokenEncryptionKeySecret',
      'oauthClientSecretSecret',
    ],
    requiredSettings: [
      'projectId',
      'serviceAccountKeySecret',
      'workspaceEventsTopic',
      'alertsTopic',
      'oauthClientId',
    ],
  },
  {
    entryPoint: 'scheduledDigest',
    signature: 'cloudevent',
    invokers: 'pubsub',
    consumes: ['digestTicks'],
    publishesTo: ['digestJobs'],
    // Each tick also renews expiring Workspace Events subscriptions, as the app.
    secrets: ['serviceAccountKeySecret'],
    requiredSettings: [
      'projectId',
      'digestJobsTopic',
      'serviceAccountKeySecret',
      'workspaceEventsTopic',
    ],
  },
  {
    entryPoint: 'oauthCallback',
    signature: 'http',
    invokers: 'public',
    consumes: [],
    publishesTo: [],
    secrets: ['oauthClientSecretSecret', 'tokenEncryptionKeySecret'],
    requiredSettings: ['projectId', 'oauthClientId', 'oauthRedirectUrl'],
  },
];

/** A Firestore TTL policy outside the event log (whose own are in `eventlog/indexes.ts`). */
export interface TtlPolicy {
  readonly collectionGroup: string;
  readonly fieldPath: string;
  /** Who writes the documents and why they expire. */
  readonly why: string;
}

/**
 * TTL policies on records that expire. Terraform also exempts these fields
 * from indexing: nothing queries them, and a steadily increasing timestamp
 * index would cap the write rate.
 */
export const TTL_POLICIES: readonly TtlPolicy[] = [
  {
    collectionGroup: 'rejected',
    fieldPath: 'expireAt',
    why: 'refused inputs, kept REJECTED_RETENTION_DAYS for operators (shared/rejected.ts)',
  },
  {
    collectionGroup: 'oauthStates',
    fieldPath: 'expireAt',
    why: 'pending sign-ins, OAUTH_STATE_TTL_SECONDS (shared/user-auth/state-store.ts)',
  },
  {
    collectionGroup: 'userTokenLeases',
    fieldPath: 'expireAt',
    why: 'leases on refreshing a user token (shared/user-auth/lease.ts)',
  },
];
