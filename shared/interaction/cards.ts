/**
 * A typed builder for cardsV2, producing Google's card JSON
 * (`google.apps.card.v1`, https://developers.google.com/workspace/chat/api/reference/rest/v1/cards).
 * Buttons name an action and its parameters; `function` holds the action
 * name here, and the add-on renderer swaps in the endpoint URL (see
 * `ACTION_PARAMETER`). Only the widgets Spacelog uses are typed.
 */
import { ACTION_PARAMETER } from './shared.js';

/** What a button or a selection input runs when used. */
export interface ActionSpec {
  readonly name: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

/** `onClick.action` as Chat reads it. */
export interface CardAction {
  readonly function: string;
  readonly parameters: readonly { readonly key: string; readonly value: string }[];
}

/** One widget of a card section. */
export type Widget =
  | { readonly textParagraph: { readonly text: string } }
  | {
      readonly decoratedText: {
        readonly topLabel?: string;
        readonly text: string;
        readonly bottomLabel?: string;
        readonly wrapText?: boolean;
        readonly button?: Button;
      };
    }
  | { readonly buttonList: { readonly buttons: readonly Button[] } }
  | { readonly image: { readonly imageUrl: string; readonly altText?: string } }
  | { readonly divider: Readonly<Record<string, never>> }
  | { readonly selectionInput: SelectionInput }
  | {
      readonly textInput: {
        readonly name: string;
        readonly label: string;
        readonly value?: string;
      };
    };

/** A button: runs an action or opens a link. */
export interface Button {
  readonly text: string;
  readonly disabled?: boolean;
  readonly onClick:
    { readonly action: CardAction } | { readonly openLink: { readonly url: string } };
}

/** An item of a selection input. */
export interface SelectionItem {
  readonly text: string;
  readonly value: string;
  readonly selected?: boolean;
}

/** A drop-down, radio group, checkboxes or switch. */
export interface SelectionInput {
  readonly name: string;
  readonly label: string;
  readonly type: 'DROPDOWN' | 'RADIO_BUTTON' | 'CHECK_BOX' | 'SWITCH';
  readonly items: readonly SelectionItem[];
  readonly onChangeAction?: CardAction;
}

/** A card section. */
export interface Section {
  readonly header?: string;
  readonly widgets: readonly Widget[];
}

/** A card. */
export interface Card {
  readonly header?: {
    readonly title: string;
    readonly subtitle?: string;
    readonly imageUrl?: string;
  };
  readonly sections: readonly Section[];
}

/** A card with its id, as `cardsV2` holds it. */
export interface CardWithId {
  readonly cardId: string;
  readonly card: Card;
}

/** The JSON of an action: the name as `function`, and as the `actionName` parameter. */
export function action(spec: ActionSpec): CardAction {
  const parameters = Object.entries(spec.parameters ?? {}).map(([key, value]) => ({ key, value }));
  return {
    function: spec.name,
    parameters: [{ key: ACTION_PARAMETER, value: spec.name }, ...parameters],
  };
}

/** A card with an id. */
export function card(
  cardId: string,
  options: { header?: Card['header']; sections: readonly Section[] },
): CardWithId {
  return {
    cardId,
    card: { ...(options.header ? { header: options.header } : {}), sections: options.sections },
  };
}

/** A section. */
export function section(widgets: readonly Widget[], header?: string): Section {
  return header === undefined ? { widgets } : { header, widgets };
}

/** Formatted text (Chat's small HTML subset). */
export function textParagraph(text: string): Widget {
  return { textParagraph: { text } };
}

/** A label-and-value line, with an optional button beside it. */
export function decoratedText(options: {
  text: string;
  topLabel?: string;
  bottomLabel?: string;
  button?: Button;
}): Widget {
  return { decoratedText: { wrapText: true, ...options } };
}

/** A row of buttons. */
export function buttonList(buttons: readonly Button[]): Widget {
  return { buttonList: { buttons } };
}

/** A button that runs an action. */
export function actionButton(text: string, spec: ActionSpec, disabled = false): Button {
  return { text, onClick: { action: action(spec) }, ...(disabled ? { disabled } : {}) };
}

/** A button that opens a link. */
export function linkButton(text: string, url: string): Button {
  return { text, onClick: { openLink: { url } } };
}

/** An image. */
export function image(imageUrl: string, altText?: string): Widget {
  return { image: { imageUrl, ...(altText ? { altText } : {}) } };
}

/** A horizontal line. */
export function divider(): Widget {
  return { divider: {} };
}

/** A selection input; `onChange` runs an action when the selection changes. */
export function selectionInput(options: {
  name: string;
  label: string;
  type: SelectionInput['type'];
  items: readonly SelectionItem[];
  onChange?: ActionSpec;
}): Widget {
  const { onChange, ...rest } = options;
  return { selectionInput: { ...rest, ...(onChange ? { onChangeAction: action(onChange) } : {}) } };
}

/** A text field. */
export function textInput(name: string, label: string, value?: string): Widget {
  return { textInput: { name, label, ...(value !== undefined ? { value } : {}) } };
}
