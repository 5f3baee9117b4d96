/**
 * Parses a classic Chat interaction event (top-level `type`) into an
 * interaction. Field meanings:
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/Event
 */
import { identify } from './identity.js';
import type { Interaction, InteractionBase } from './model.js';
import {
  int64,
  malformed,
  mentionsApp,
  obj,
  readEventTime,
  readFormInputs,
  readMessage,
  readParameters,
  readSpace,
  readUser,
  str,
  type Json,
} from './read.js';
import {
  ACTION_PARAMETER,
  clickOf,
  commandNameOf,
  dialogPhaseOf,
  widgetUpdateOf,
  withoutActionName,
} from './shared.js';

/** Parses a classic interaction event; throws `invalid-input` when it cannot. */
export function parseClassic(body: Json): Interaction {
  const type = str(body, 'type') ?? 'UNSPECIFIED';
  const common = obj(body.common);
  const base = classicBase(body, common);
  const rawParameters = readParameters(common?.parameters, obj(body.action)?.parameters);
  const parameters = withoutActionName(rawParameters);
  const action =
    rawParameters[ACTION_PARAMETER] ??
    str(common, 'invokedFunction') ??
    str(obj(body.action), 'actionMethodName');
  const formInputs = readFormInputs(common?.formInputs);
  const input = { action, rawParameters, parameters, formInputs };
  const dialog = body.isDialogEvent === true ? dialogPhaseOf(body.dialogEventType) : undefined;
  const rawMessage = obj(body.message);

  switch (type) {
    case 'MESSAGE': {
      const slash = obj(rawMessage?.slashCommand);
      const commandId = int64(slash, 'commandId');
      if (dialog !== undefined) {
        return identify({
          ...base,
          kind: 'dialog',
          phase: dialog,
          commandId,
          parameters,
          formInputs,
        });
      }
      if (commandId !== undefined) {
        const commandName = commandNameOf(rawMessage);
        return identify({ ...base, kind: 'slash-command', commandId, ...named(commandName) });
      }
      if (base.message === undefined) return malformed('missing-message');
      const kind =
        mentionsApp(rawMessage) || base.space.type !== 'DIRECT_MESSAGE' ? 'mention' : 'message';
      return identify({ ...base, kind, message: base.message });
    }
    case 'APP_COMMAND': {
      const meta = obj(body.appCommandMetadata);
      const commandId = int64(meta, 'appCommandId') ?? malformed('missing-command-id');
      const commandType = str(meta, 'appCommandType') ?? 'UNSPECIFIED';
      if (dialog !== undefined) {
        return identify({
          ...base,
          kind: 'dialog',
          phase: dialog,
          commandId,
          parameters,
          formInputs,
        });
      }
      if (commandType === 'SLASH_COMMAND') {
        return identify({
          ...base,
          kind: 'slash-command',
          commandId,
          ...named(commandNameOf(rawMessage)),
        });
      }
      return identify({ ...base, kind: 'app-command', commandId, commandType });
    }
    case 'ADDED_TO_SPACE':
      return identify({ ...base, kind: 'added-to-space' });
    case 'REMOVED_FROM_SPACE':
      return identify({ ...base, kind: 'removed-from-space' });
    case 'CARD_CLICKED':
      return clickOf(base, dialog, input);
    case 'WIDGET_UPDATED':
      return widgetUpdateOf(base, input);
    case 'APP_HOME':
      return identify({ ...base, kind: 'app-home', phase: 'open', action, formInputs });
    case 'SUBMIT_FORM':
      return identify({ ...base, kind: 'app-home', phase: 'submit', action, formInputs });
    default:
      return identify({ ...base, kind: 'unknown', eventType: type.slice(0, 64) });
  }
}

function classicBase(body: Json, common: Json | undefined): Omit<InteractionBase, 'id'> {
  const message = readMessage(body.message);
  const timeZone = str(obj(common?.timeZone), 'id');
  const locale = str(common, 'userLocale');
  const redirect = str(body, 'configCompleteRedirectUrl');
  return {
    format: 'classic',
    eventTime: readEventTime(body.eventTime),
    space: readSpace(body.space),
    user: readUser(body.user),
    ...(message ? { message } : {}),
    ...(timeZone ? { timeZone } : {}),
    ...(locale ? { locale } : {}),
    ...(redirect ? { configCompleteRedirectUrl: redirect } : {}),
  };
}

function named(commandName: string | undefined): { commandName?: string } {
  return commandName === undefined ? {} : { commandName };
}
