/**
 * Small pieces both parsers and the renderers agree on: the parameter that
 * carries a button's action name, dialog phases, command names.
 */
import { identify } from './identity.js';
import type { ActionParameters, FormInputs, Interaction, InteractionBase } from './model.js';
import { malformed, obj, str } from './read.js';

/**
 * The action parameter naming which action a button runs. Add-on apps over
 * HTTP must put the endpoint URL in `action.function`, so the action's own
 * name travels as a parameter (the convention of Google's add-on samples,
 * https://developers.google.com/workspace/add-ons/chat/collect-information).
 * Classic apps get it too, so both formats parse the same way.
 */
export const ACTION_PARAMETER = 'actionName';

/** Parameters without the action name. */
export function withoutActionName(parameters: ActionParameters): ActionParameters {
  if (!(ACTION_PARAMETER in parameters)) return parameters;
  const rest: Record<string, string> = { ...parameters };
  delete rest[ACTION_PARAMETER];
  return rest;
}

/** `REQUEST_DIALOG`, `SUBMIT_DIALOG`, `CANCEL_DIALOG` as a phase; undefined otherwise. */
export function dialogPhaseOf(value: unknown): 'open' | 'submit' | 'cancel' | undefined {
  switch (value) {
    case 'REQUEST_DIALOG':
      return 'open';
    case 'SUBMIT_DIALOG':
      return 'submit';
    case 'CANCEL_DIALOG':
      return 'cancel';
    default:
      return undefined;
  }
}

/** The `/name` of a slash command, from the message's `SLASH_COMMAND` annotation. */
export function commandNameOf(message: unknown): string | undefined {
  const annotations = obj(message)?.annotations;
  if (!Array.isArray(annotations)) return undefined;
  for (const a of annotations) {
    const annotation = obj(a);
    if (str(annotation, 'type') !== 'SLASH_COMMAND') continue;
    const name = str(obj(annotation?.slashCommand), 'commandName');
    if (name !== undefined) return name.slice(0, 128);
  }
  return undefined;
}

/** What a button click or a widget update carries, read alike from both formats. */
export interface ActionInput {
  readonly action: string | undefined;
  /** Every parameter, the action name included. */
  readonly rawParameters: ActionParameters;
  readonly parameters: ActionParameters;
  readonly formInputs: FormInputs;
}

/** A click: on a dialog (in `phase`) when there is one, else on a card, which must name its action. */
export function clickOf(
  base: Omit<InteractionBase, 'id'>,
  phase: 'open' | 'submit' | 'cancel' | undefined,
  input: ActionInput,
): Interaction {
  const { action, parameters, formInputs } = input;
  if (phase !== undefined) {
    return identify({ ...base, kind: 'dialog', phase, action, parameters, formInputs });
  }
  const named = action ?? malformed('missing-action');
  return identify({ ...base, kind: 'card-click', action: named, parameters, formInputs });
}

/** A widget update (an autocomplete query, say). */
export function widgetUpdateOf(base: Omit<InteractionBase, 'id'>, input: ActionInput): Interaction {
  const { action, parameters, formInputs, rawParameters } = input;
  const query = rawParameters['autocomplete_widget_query'];
  return identify({ ...base, kind: 'widget-update', action, query, parameters, formInputs });
}
