/**
 * What the header and claims of each kind of Chat request token must be
 * (https://developers.google.com/workspace/chat/verify-requests-from-chat).
 * The kind and the expected audience come from configuration only, never
 * from the request.
 */
import { refused } from './refusal.js';

/** The three kinds of token Chat sends, as chosen on the Chat API configuration page. */
export type ChatTokenKind = 'project-number' | 'endpoint-url' | 'add-on';

/** Issuer of project-number tokens and `email` of endpoint-URL ID tokens. */
export const CHAT_SYSTEM_ACCOUNT = 'chat@system.gserviceaccount.com';

/** Issuers Google ID tokens carry. */
export const GOOGLE_ID_TOKEN_ISSUERS: readonly string[] = [
  'https://accounts.google.com',
  'accounts.google.com',
];

/** What a token of the configured kind must say. */
export interface Expectation {
  readonly kind: ChatTokenKind;
  /** Exact `aud`: the project number, or the endpoint URL (add-ons: query string included). */
  readonly audience: string;
  /** Add-on tokens: the project's add-on service agent, the expected `email`. */
  readonly addOnServiceAgent?: string;
  /** Tolerated clock difference for `exp`, `nbf` and `iat`. */
  readonly skewSeconds: number;
  /** Longest accepted `exp - iat`. */
  readonly maxLifetimeSeconds: number;
}

/** What the checks established about the caller. */
export interface VerifiedCaller {
  readonly kind: ChatTokenKind;
  readonly issuer: string;
  /** `email` of ID tokens; the Chat system account for project-number tokens. */
  readonly email: string;
  /** Token expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

/** Refuses a header that is not RS256 with a key id, or that asks for anything unusual. */
export function checkHeader(header: Readonly<Record<string, unknown>>): string {
  if (header.alg !== 'RS256') throw refused('algorithm-not-rs256');
  if (header.typ !== undefined && header.typ !== 'JWT') throw refused('bad-type');
  if (header.crit !== undefined) throw refused('critical-header');
  const kid = header.kid;
  if (typeof kid !== 'string' || kid === '' || kid.length > 256) throw refused('missing-key-id');
  return kid;
}

/**
 * Checks the claims of a decoded payload against the expectation at `nowSeconds`.
 * The signature is checked elsewhere, after these pass.
 */
export function checkClaims(
  claims: Readonly<Record<string, unknown>>,
  expect: Expectation,
  nowSeconds: number,
): VerifiedCaller {
  const { exp, iat, nbf } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw refused('missing-expiry');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw refused('missing-issued-at');
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) {
    throw refused('bad-not-before');
  }
  if (nowSeconds >= exp + expect.skewSeconds) throw refused('expired');
  if (iat > nowSeconds + expect.skewSeconds) throw refused('issued-in-future');
  if (nbf !== undefined && nbf > nowSeconds + expect.skewSeconds) throw refused('not-yet-valid');
  if (exp - iat > expect.maxLifetimeSeconds) throw refused('lifetime-too-long');
  if (typeof claims.aud !== 'string' || claims.aud !== expect.audience) {
    throw refused('wrong-audience');
  }
  const identity = expect.kind === 'project-number' ? chatIssued(claims) : idToken(claims, expect);
  return { kind: expect.kind, ...identity, expiresAt: exp };
}

function chatIssued(claims: Readonly<Record<string, unknown>>) {
  if (claims.iss !== CHAT_SYSTEM_ACCOUNT) throw refused('wrong-issuer');
  return { issuer: CHAT_SYSTEM_ACCOUNT, email: CHAT_SYSTEM_ACCOUNT };
}

function idToken(claims: Readonly<Record<string, unknown>>, expect: Expectation) {
  const issuer = claims.iss;
  if (typeof issuer !== 'string' || !GOOGLE_ID_TOKEN_ISSUERS.includes(issuer)) {
    throw refused('wrong-issuer');
  }
  const wanted = expect.kind === 'add-on' ? expect.addOnServiceAgent : CHAT_SYSTEM_ACCOUNT;
  if (wanted === undefined || claims.email !== wanted) throw refused('wrong-email');
  if (claims.email_verified !== true) throw refused('email-not-verified');
  return { issuer, email: wanted };
}
