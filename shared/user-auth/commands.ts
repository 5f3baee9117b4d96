/**
 * The Chat features that act as the user: `/myspaces` (the user's spaces,
 * listed with their own credentials), acknowledging an incident with a
 * reaction as the user, and `/signout`. Each first asks the gate; a user
 * without the needed grant gets a sign-in prompt, privately.
 */
import type { AppServices, Handler, HandlerContext } from '../app/types.js';
import type { Interaction, InteractionOf } from '../interaction/model.js';
import { privatelyTo, replies, type Reply } from '../interaction/reply.js';
import { asUser, type ChatClient } from '../outbound/index.js';
import type { FeatureId } from '../scopes/features.js';
import type { GateResult, UserAuthGate } from './gate.js';
import { isSignInRequired } from './user-tokens.js';

/** What the add-on sign-in prompt names as being authorized. */
export const SIGN_IN_RESOURCE = 'Spacelog';

/** What the features need. */
export interface UserFeatureDeps {
  readonly gate: UserAuthGate;
  readonly chat: ChatClient;
  /** Ends a user's grant (`/signout`); resolves false when there was none. */
  readonly signOut: (userId: string, interactionId: string) => Promise<boolean>;
}

type Context = Pick<HandlerContext<Interaction, AppServices>, 'interaction' | 'transport'>;

/**
 * The reply for a gate result that stops the feature: a sign-in prompt
 * (REQUEST_CONFIG or the add-on prompt), or over Pub/Sub, where no prompt
 * can be sent through the API, a private message with the link.
 */
export function gateReply(context: Context, result: Exclude<GateResult, { kind: 'ready' }>): Reply {
  const privately = privatelyTo(context.interaction);
  if (result.kind === 'off') return replies.text(result.notice, privately);
  if (context.transport === 'pubsub') {
    return replies.text(
      `Sign in to let Spacelog do this as you: ${result.authorizationUrl}`,
      privately,
    );
  }
  return replies.requestConfig(result.authorizationUrl, SIGN_IN_RESOURCE);
}

/** Runs `act` when the gate lets `feature` through, else answers with the gate's reply. */
export async function withUserGrant(
  deps: Pick<UserFeatureDeps, 'gate'>,
  context: Context,
  feature: FeatureId,
  act: (notice: string | undefined) => Promise<Reply>,
): Promise<Reply> {
  const { user, configCompleteRedirectUrl } = context.interaction;
  const ask = () =>
    deps.gate({
      userId: user.name,
      feature,
      ...(user.email !== undefined && { email: user.email }),
      ...(configCompleteRedirectUrl !== undefined && {
        chatRedirectUrl: configCompleteRedirectUrl,
      }),
    });
  const result = await ask();
  if (result.kind !== 'ready') return gateReply(context, result);
  try {
    return await act(result.notice);
  } catch (err) {
    // The grant ended between the check and the call (revoked at Google): ask again.
    if (!isSignInRequired(err)) throw err;
    const again = await ask();
    if (again.kind === 'ready') throw err;
    return gateReply(context, again);
  }
}

const withNotice = (text: string, notice: string | undefined) =>
  notice === undefined ? text : `${text}\n\n${notice}`;

/** `/myspaces`: the spaces the user is in, listed as the user. */
export function myspacesHandler<S extends AppServices>(
  deps: UserFeatureDeps,
): Handler<InteractionOf<'slash-command'>, S> {
  return (context) =>
    withUserGrant(deps, context, 'myspaces', async (notice) => {
      const page = await deps.chat.listSpaces(
        { pageSize: 100 },
        asUser(context.interaction.user.name),
      );
      const spaces = page.spaces ?? [];
      const lines = spaces.map((s) => `• ${s.displayName ?? describeUnnamed(s.spaceType)}`);
      const more = page.nextPageToken ? '\n… and more.' : '';
      const text =
        spaces.length === 0
          ? 'You are in no spaces Spacelog can see.'
          : `Your spaces (${spaces.length}${more === '' ? '' : '+'}):\n${lines.join('\n')}${more}`;
      return replies.text(withNotice(text, notice), privatelyTo(context.interaction));
    });
}

function describeUnnamed(spaceType: string | null | undefined): string {
  return spaceType === 'DIRECT_MESSAGE' ? '(direct message)' : '(unnamed group chat)';
}

/** `/signout`: revokes the user's grant at Google and deletes it. */
export function signoutHandler<S extends AppServices>(
  deps: Pick<UserFeatureDeps, 'signOut'>,
): Handler<InteractionOf<'slash-command'>, S> {
  return async (context) => {
    const ended = await deps.signOut(context.interaction.user.name, context.interaction.id);
    const text = ended
      ? 'Signed out. Spacelog no longer acts for you; features that need your permission will ask again.'
      : 'You were not signed in.';
    return replies.text(text, privatelyTo(context.interaction));
  };
}

/** Input of {@link acknowledgeIncident}. */
export interface AcknowledgeInput {
  /** The alert message to react to, `spaces/S/messages/M`. */
  readonly message: string;
  /** Default ✅. */
  readonly emoji?: string;
}

/** What {@link acknowledgeIncident} did. */
export type AcknowledgeOutcome =
  | { readonly kind: 'acknowledged'; readonly reply: Reply }
  /** Not done: answer with `reply` (a sign-in prompt or a notice). */
  | { readonly kind: 'needs-user'; readonly reply: Reply };

/**
 * Acknowledges an incident alert with a reaction as the clicking user. The
 * incident code calls it from its `incident.acknowledge` card click and
 * records the acknowledgement itself when the outcome is `acknowledged`.
 */
export async function acknowledgeIncident(
  deps: Pick<UserFeatureDeps, 'gate' | 'chat'>,
  context: Context,
  input: AcknowledgeInput,
): Promise<AcknowledgeOutcome> {
  let acted = false;
  const reply = await withUserGrant(deps, context, 'incident.acknowledge', async (notice) => {
    const as = asUser(context.interaction.user.name);
    try {
      await deps.chat.createReaction(
        { message: input.message, emoji: { unicode: input.emoji ?? '✅' } },
        as,
      );
    } catch (err) {
      // The same user reacting twice with the same emoji: already acknowledged.
      if ((err as { code?: unknown }).code !== 'conflict') throw err;
    }
    acted = true;
    return replies.text(withNotice('Acknowledged.', notice), privatelyTo(context.interaction));
  });
  return acted ? { kind: 'acknowledged', reply } : { kind: 'needs-user', reply };
}
