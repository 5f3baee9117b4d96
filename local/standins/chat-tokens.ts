/**
 * Minters of the three kinds of bearer token Google Chat puts on requests to
 * an app: project-number JWTs, endpoint-URL ID tokens and
 * Workspace add-on ID tokens. Pure functions over a key holder (the certs
 * stand-in is one), with knobs to forge any variation a verifier must refuse.
 */
import { createHmac, type KeyObject } from 'node:crypto';
import type { SigningKey } from './keys.js';
import { signJwt } from './jwt.js';

/** The Chat system account: issuer of project-number tokens, email in endpoint ID tokens. */
export const CHAT_ISSUER = 'chat@system.gserviceaccount.com';
/** Issuer of Google ID tokens. */
export const GOOGLE_ISSUER = 'https://accounts.google.com';

// Made-up but stable numeric account ids for the `sub` of ID tokens.
const CHAT_SYSTEM_SUB = '100000000000000000042';
const ADD_ON_AGENT_SUB = '100000000000000000077';

/** The keys minters sign with: the current Chat key and Google key. */
export interface MintKeys {
  readonly chatKey: SigningKey;
  readonly googleKey: SigningKey;
}

/** Knobs common to every minter. */
export interface MintOptions {
  /** Issue time in ms since the epoch; default `Date.now()`. */
  readonly now?: number;
  /** Lifetime in seconds; default 3600. */
  readonly ttl?: number;
  /** Header `kid`; default the signing key's. */
  readonly kid?: string;
  /** Sign with this key instead (forged tokens); its `kid` is used unless `kid` is given. */
  readonly signWith?: SigningKey | KeyObject;
  /**
   * `RS256` (default); `HS256` signs with the signing key's public PEM as an
   * HMAC secret (the key-confusion attack); `none` leaves the signature empty.
   */
  readonly algorithm?: 'RS256' | 'HS256' | 'none';
  /** Claims merged over the minted ones; a claim set to `undefined` is removed. */
  readonly overrides?: Record<string, unknown>;
  /** Header fields merged over `{alg, typ, kid}`; `undefined` removes one. */
  readonly headerOverrides?: Record<string, unknown>;
}

function isSigningKey(key: SigningKey | KeyObject): key is SigningKey {
  return 'privateKey' in key;
}

const segment = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `claims` as a JWT with the given key and knobs (used by every minter). */
export function mintJwt(
  claims: Record<string, unknown>,
  key: SigningKey,
  options: MintOptions = {},
): string {
  const signer = options.signWith ?? key;
  const privateKey = isSigningKey(signer) ? signer.privateKey : signer;
  const kid = options.kid ?? (isSigningKey(signer) ? signer.kid : key.kid);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const payload = { iat, exp: iat + (options.ttl ?? 3600), ...claims, ...options.overrides };
  const algorithm = options.algorithm ?? 'RS256';
  const header = { kid, ...options.headerOverrides };

  if (algorithm === 'RS256') return signJwt(payload, privateKey, header);
  const input = `${segment({ alg: algorithm, typ: 'JWT', ...header })}.${segment(payload)}`;
  if (algorithm === 'none') return `${input}.`;
  const publicPem = isSigningKey(signer) ? signer.publicPem : key.publicPem;
  return `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
}

/** A classic app's project-number token: `iss` Chat, `aud` the project number, Chat key. */
export function mintProjectNumberToken(
  keys: MintKeys,
  options: MintOptions & { readonly projectNumber: string },
): string {
  return mintJwt({ iss: CHAT_ISSUER, aud: options.projectNumber }, keys.chatKey, options);
}

/** A classic app's endpoint-URL ID token: Google-issued, `email` Chat's, Google key. */
export function mintEndpointIdToken(
  keys: MintKeys,
  options: MintOptions & { readonly audience: string },
): string {
  const claims = {
    iss: GOOGLE_ISSUER,
    aud: options.audience,
    azp: CHAT_SYSTEM_SUB,
    sub: CHAT_SYSTEM_SUB,
    email: CHAT_ISSUER,
    email_verified: true,
  };
  return mintJwt(claims, keys.googleKey, options);
}

/** A Workspace add-on's ID token: `email` the add-on service agent, Google key. */
export function mintAddOnIdToken(
  keys: MintKeys,
  options: MintOptions & { readonly audience: string; readonly serviceAgentEmail: string },
): string {
  const claims = {
    iss: GOOGLE_ISSUER,
    aud: options.audience,
    azp: ADD_ON_AGENT_SUB,
    sub: ADD_ON_AGENT_SUB,
    email: options.serviceAgentEmail,
    email_verified: true,
  };
  return mintJwt(claims, keys.googleKey, options);
}
