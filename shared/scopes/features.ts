/**
 * Features that act with a user's credentials, what each needs, and the
 * answers built on that: which features a set of granted scopes allows, what
 * one feature still lacks, and the fewest scopes that serve the features in
 * use. A feature's needs come from the Chat methods it calls as the user (any
 * one allowing scope suffices) plus scopes it needs by name (`openid`).
 */
import { SCOPE, type ScopeId } from './catalogue.js';
import { userScopesFor, type ChatMethod } from './methods.js';

/** A feature that uses user credentials. */
export interface Feature {
  /** What the user calls it, for replies that name features that are off. */
  readonly label: string;
  /** Chat methods it calls as the user. */
  readonly methods: readonly ChatMethod[];
  /** Scopes it needs by name, besides those of its methods. */
  readonly scopes: readonly ScopeId[];
}

/** Every feature that needs user credentials. */
export const FEATURES = {
  'sign-in': { label: 'Sign-in', methods: [], scopes: [SCOPE.openid] },
  myspaces: { label: '/myspaces (list your spaces)', methods: ['spaces.list'], scopes: [] },
  'incident.acknowledge': {
    label: 'Acknowledge an incident as you (reaction)',
    methods: ['reactions.create'],
    scopes: [],
  },
  // Members found after the space exists (late responders) are added one by one.
  'incident.open-as-user': {
    label: '/incident (open the incident space as you)',
    methods: ['spaces.setup', 'members.create'],
    scopes: [],
  },
} as const satisfies Record<string, Feature>;

/** A feature's id, such as `myspaces`. */
export type FeatureId = keyof typeof FEATURES;

/** Every feature id. */
export const FEATURE_IDS = Object.keys(FEATURES) as FeatureId[];

/** One need: any one of these scopes satisfies it (narrowest first). */
export type Requirement = readonly ScopeId[];

/** The needs of a feature: each must be satisfied by some granted scope. */
export function requirementsOf(feature: FeatureId): readonly Requirement[] {
  const f: Feature = FEATURES[feature];
  return [...f.methods.map(userScopesFor), ...f.scopes.map((s) => [s])];
}

const satisfied = (need: Requirement, have: ReadonlySet<string>) => need.some((s) => have.has(s));

/** True when `granted` satisfies every need of `feature`. */
export function isAllowed(feature: FeatureId, granted: Iterable<string>): boolean {
  const have = new Set(granted);
  return requirementsOf(feature).every((need) => satisfied(need, have));
}

/** The features, of `among` (default all), that `granted` allows. */
export function allowedFeatures(
  granted: Iterable<string>,
  among: readonly FeatureId[] = FEATURE_IDS,
): FeatureId[] {
  const have = [...granted];
  return among.filter((f) => isAllowed(f, have));
}

/** The features, of `among`, that `granted` does not allow: they are off for the user. */
export function disabledFeatures(
  granted: Iterable<string>,
  among: readonly FeatureId[] = FEATURE_IDS,
): FeatureId[] {
  const have = [...granted];
  return among.filter((f) => !isAllowed(f, have));
}

/**
 * The fewest scopes that, added to `granted`, serve every feature of
 * `features`: for each unmet need, taken with the fewest alternatives first,
 * a scope already chosen when one suffices, else its narrowest scope. Sorted,
 * so equal inputs give equal requests.
 */
export function scopesToRequest(
  features: readonly FeatureId[],
  granted: Iterable<string> = [],
): ScopeId[] {
  const have = new Set<string>(granted);
  const needs = features.flatMap(requirementsOf).filter((need) => !satisfied(need, have));
  const chosen = new Set<ScopeId>();
  for (const need of [...needs].sort((a, b) => a.length - b.length)) {
    if (satisfied(need, chosen)) continue;
    const narrowest = need[0];
    if (narrowest !== undefined) chosen.add(narrowest);
  }
  return [...chosen].sort();
}

/** What `feature` lacks under `granted`: the scopes to ask for (empty when allowed). */
export function missingFor(feature: FeatureId, granted: Iterable<string>): ScopeId[] {
  return scopesToRequest([feature], granted);
}
