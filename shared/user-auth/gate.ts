/**
 * Features that follow the grant. Before a feature acts as the user, the
 * gate compares what it needs with what the user granted: enough, and it
 * goes ahead; not enough, and the user is asked to sign in for exactly the
 * missing scopes (Google keeps the others: `include_granted_scopes`). Right
 * after a sign-in that granted less than asked, the first reply names the
 * features that stay off instead of asking again at once.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import {
  FEATURES,
  disabledFeatures,
  isAllowed,
  missingFor,
  requirementsOf,
  type FeatureId,
} from '../scopes/features.js';
import type { GrantStore, StoredGrant } from './grant-store.js';
import type { SignInStarter } from './sign-in.js';

/** The features of user sign-in this deployment uses. */
export function featuresInUse(config: Pick<Config, 'incidentSpaceMode'>): FeatureId[] {
  const features: FeatureId[] = ['myspaces', 'incident.acknowledge'];
  if (config.incidentSpaceMode === 'user') features.push('incident.open-as-user');
  return features;
}

/** Who asks, and where Chat wants the browser back after a sign-in. */
export interface GateRequest {
  /** `users/{id}`. */
  readonly userId: string;
  readonly email?: string;
  readonly chatRedirectUrl?: string;
  readonly feature: FeatureId;
}

/** The gate's answer. */
export type GateResult =
  /** Go ahead; `notice` names features a recent sign-in left off, to show once. */
  | { readonly kind: 'ready'; readonly notice?: string }
  /** Ask the user to sign in at this URL (only the missing scopes are asked for). */
  | { readonly kind: 'sign-in'; readonly authorizationUrl: string; readonly missing: string[] }
  /** The user just declined what this feature needs: tell them, do not ask again yet. */
  | { readonly kind: 'off'; readonly notice: string };

/** Collaborators and settings of the gate. */
export interface GateDeps {
  readonly grants: GrantStore;
  readonly signIn: SignInStarter;
  readonly featuresInUse: readonly FeatureId[];
  readonly logger: Logger;
}

/** Checks a user's grant before a feature acts as them. */
export type UserAuthGate = (request: GateRequest) => Promise<GateResult>;

/**
 * The features of `among` that a sign-in left off because the user declined
 * what they need: some unmet need of theirs is one of `declined`.
 */
export function featuresOffByDecline(
  granted: readonly string[],
  declined: readonly string[],
  among: readonly FeatureId[],
): FeatureId[] {
  return disabledFeatures(granted, among).filter((f) =>
    requirementsOf(f).some(
      (need) => !need.some((s) => granted.includes(s)) && need.some((s) => declined.includes(s)),
    ),
  );
}

/** The sentence naming the features a sign-in left off, or undefined when none. */
export function offNotice(
  granted: readonly string[],
  declined: readonly string[],
  among: readonly FeatureId[],
): string | undefined {
  const off = featuresOffByDecline(granted, declined, among);
  if (off.length === 0) return undefined;
  const names = off.map((f) => FEATURES[f].label).join('; ');
  return (
    `You signed in, but did not allow everything Spacelog asked for, so these stay off for you: ${names}. ` +
    'Use one again to be asked for just what it needs.'
  );
}

const usableScopes = (grant: StoredGrant | undefined): readonly string[] =>
  grant?.status === 'active' && grant.refreshToken !== undefined ? grant.grantedScopes : [];

/** Builds the gate. */
export function createUserAuthGate(deps: GateDeps): UserAuthGate {
  const consumeNotice = async (grant: StoredGrant): Promise<string | undefined> => {
    if (!grant.noticePending) return undefined;
    await deps.grants.update(grant.userId, (current) =>
      current?.noticePending === true ? { ...current, noticePending: false } : undefined,
    );
    return offNotice(grant.grantedScopes, grant.declinedScopes, deps.featuresInUse);
  };

  return async (request) => {
    const grant = await deps.grants.get(request.userId);
    const granted = usableScopes(grant);
    const log = deps.logger.child({ userId: request.userId, feature: request.feature });

    if (isAllowed(request.feature, granted)) {
      const notice = grant === undefined ? undefined : await consumeNotice(grant);
      return notice === undefined ? { kind: 'ready' } : { kind: 'ready', notice };
    }

    const missing = missingFor(request.feature, granted);
    const declinedNow = missing.some((s) => grant?.declinedScopes.includes(s) === true);
    if (grant !== undefined && grant.noticePending && declinedNow) {
      const notice = await consumeNotice(grant);
      if (notice !== undefined) {
        log.info('Feature off: its scopes were just declined.');
        return { kind: 'off', notice };
      }
    }

    const authorizationUrl = await deps.signIn({
      userId: request.userId,
      ...(request.email !== undefined && { email: request.email }),
      ...(request.chatRedirectUrl !== undefined && { chatRedirectUrl: request.chatRedirectUrl }),
      scopes: missing,
      hasRefreshToken: grant?.status === 'active' && grant.refreshToken !== undefined,
    });
    log.info('Sign-in asked for.', { missingCount: missing.length });
    return { kind: 'sign-in', authorizationUrl, missing };
  };
}
