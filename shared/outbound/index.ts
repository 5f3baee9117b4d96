/**
 * Outbound calls to Google Chat: the REST client, incoming webhooks and the
 * credentials behind them, built from configuration. The builder starts
 * nothing and reads no environment; the first call reads the key secret.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SecretReader } from '../secrets.js';
import type { ChatClient } from './chat-client.js';
import { createChatClient } from './chat-rest-client.js';
import {
  createChatCredentials,
  type TokenClientFactory,
  type TokenSource,
  type UserTokens,
} from './credentials.js';
import { createOutboundHttp } from './http.js';
import { jwtTokenClients } from './jwt-clients.js';
import { createWritePacer, type WritePacer } from './pacer.js';
import { retryPolicyFrom } from './retry.js';
import { systemRuntime, type OutboundRuntime } from './runtime.js';
import { createWebhookSender, type WebhookSender } from './webhooks.js';

export { AS_APP, asDelegated, asUser, CHAT_METHOD_AUTH, resolveAuth } from './auth-table.js';
export type { ChatMethod, MethodAuth, Principal, ResolvedAuth } from './auth-table.js';
export type * from './chat-client.js';
export { createChatClient, type ChatClientOptions } from './chat-rest-client.js';
export type * from './chat-types.js';
export type { TokenSource, UserTokens } from './credentials.js';
export { messageIdFor, requestIdFor } from './request-id.js';
export { MESSAGE_MAX_BYTES, splitMessage } from './split.js';
export { systemRuntime, type OutboundRuntime } from './runtime.js';
export type { WebhookMessage, WebhookPosted, WebhookSender } from './webhooks.js';

/** The settings outbound calls use. */
export type OutboundConfig = Pick<
  Config,
  | 'chatApiUrl'
  | 'oauthTokenUrl'
  | 'serviceAccountKeySecret'
  | 'serviceAccountKeyVersion'
  | 'webhookSecretPrefix'
  | 'appScopesApproved'
  | 'chatApiMaxAttempts'
  | 'chatApiTimeoutMs'
  | 'chatApiDeadlineMs'
  | 'spaceWritesPerMinute'
  | 'projectWritesPerMinute'
>;

/** Collaborators of {@link createOutbound}; tests replace the runtime and token clients. */
export interface OutboundDeps {
  readonly secrets: SecretReader;
  readonly logger: Logger;
  /** Signed-in users' tokens, once user sign-in exists. */
  readonly userTokens?: UserTokens;
  /** Default: the real network, clock and timers. */
  readonly runtime?: OutboundRuntime;
  /** Default: google-auth-library `JWT` clients against `OAUTH_TOKEN_URL`. */
  readonly tokenClients?: TokenClientFactory;
}

/** Everything outbound, sharing one pacer and one set of credentials per instance. */
export interface Outbound {
  readonly chat: ChatClient;
  readonly webhooks: WebhookSender;
  readonly tokens: TokenSource;
  readonly pacer: WritePacer;
}

/** Builds the Chat client, the webhook sender and their credentials. Keep one per instance. */
export function createOutbound(config: OutboundConfig, deps: OutboundDeps): Outbound {
  const runtime = deps.runtime ?? systemRuntime(deps.logger);
  const pacer = createWritePacer(
    {
      perSpacePerMinute: config.spaceWritesPerMinute,
      perProjectPerMinute: config.projectWritesPerMinute,
    },
    runtime,
  );
  const http = createOutboundHttp(runtime, retryPolicyFrom(config), pacer);
  const tokens = createChatCredentials({
    secrets: deps.secrets,
    keySecret: config.serviceAccountKeySecret,
    keyVersion: config.serviceAccountKeyVersion,
    clients: deps.tokenClients ?? jwtTokenClients(config.oauthTokenUrl),
    ...(deps.userTokens && { userTokens: deps.userTokens }),
    clock: runtime.clock,
    logger: deps.logger,
  });
  const chat = createChatClient({
    baseUrl: config.chatApiUrl,
    http,
    tokens,
    appScopesApproved: config.appScopesApproved,
  });
  const webhooks = createWebhookSender({
    secrets: deps.secrets,
    secretPrefix: config.webhookSecretPrefix,
    http,
    chatApiUrl: config.chatApiUrl,
  });
  return { chat, webhooks, tokens, pacer };
}
