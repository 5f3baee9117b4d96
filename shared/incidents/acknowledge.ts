/**
 * The details card's Acknowledge button (`incident.acknowledge`). With user
 * sign-in set up, the clicking user reacts to the details message as
 * themselves (`acknowledgeIncident` of `user-auth`, which asks them to sign
 * in when needed); otherwise the app says who acknowledged. Either way the
 * incident records `IncidentAcknowledged`, once per click.
 * Register it with `app.onCardClick(ACKNOWLEDGE_ACTION, acknowledgeHandler(deps))`.
 */
import type { AppServices, Handler } from '../app/types.js';
import { incidentStream } from '../eventlog/index.js';
import type { InteractionOf } from '../interaction/model.js';
import { privatelyTo, replies } from '../interaction/reply.js';
import { acknowledgeIncident, type UserFeatureDeps } from '../user-auth/commands.js';
import { ALERT_KEY } from './alerts.js';

/** What the button needs. */
export interface AcknowledgeDeps {
  /** Present when user sign-in is set up: the acknowledgement is a reaction as the user. */
  readonly asUser?: Pick<UserFeatureDeps, 'gate' | 'chat'>;
}

/** The handler of the Acknowledge button. */
export function acknowledgeHandler<S extends AppServices>(
  deps: AcknowledgeDeps,
): Handler<InteractionOf<'card-click'>, S> {
  return async (context) => {
    const { interaction, services } = context;
    const key = interaction.parameters['incidentKey'];
    const stream = key !== undefined && ALERT_KEY.test(key) ? incidentStream(key) : undefined;
    if (stream === undefined || (await services.events.streamVersion(stream)) === 0) {
      return replies.text('That button is out of date.', privatelyTo(interaction));
    }
    const record = () =>
      context.record('IncidentAcknowledged', { by: interaction.user.name }, { stream });

    const message = interaction.message?.name;
    if (deps.asUser !== undefined && message !== undefined) {
      const outcome = await acknowledgeIncident(deps.asUser, context, { message });
      if (outcome.kind === 'acknowledged') await record();
      return outcome.reply;
    }
    await record();
    const who = interaction.user.displayName ?? 'a responder';
    return replies.text(`Incident acknowledged by ${who}.`);
  };
}
