/**
 * The interaction: one typed model for what Google Chat sends an app, in
 * either of its two formats (classic interaction events and Workspace add-on
 * event objects). Parsers in `classic.ts` and `add-on.ts` produce it; the
 * handler API and the event log consume it, and never see the raw JSON.
 *
 * References: classic https://developers.google.com/workspace/chat/api/reference/rest/v1/Event,
 * add-on https://developers.google.com/workspace/add-ons/concepts/event-objects#chat-event-object.
 * Message text lives here in memory only; it is never logged.
 */

/** Which wire format an interaction event arrived in. */
export type InteractionFormat = 'classic' | 'add-on';

/** A space's kind, as Chat's `spaceType` names it. */
export type SpaceType = 'SPACE' | 'GROUP_CHAT' | 'DIRECT_MESSAGE';

/** The space the interaction happened in. */
export interface ChatSpaceRef {
  /** `spaces/ID`. */
  readonly name: string;
  readonly type: SpaceType;
  readonly displayName?: string;
}

/** Who interacted. */
export interface ChatUserRef {
  /** `users/ID`. */
  readonly name: string;
  readonly displayName?: string;
  /** Present when Chat sends it. */
  readonly email?: string;
  /** `HUMAN` or `BOT`. */
  readonly type?: string;
}

/** The message an interaction came with. */
export interface MessageRef {
  /** `spaces/ID/messages/ID`. */
  readonly name: string;
  readonly threadName?: string;
  /** Full text (memory only). */
  readonly text?: string;
  /** Text without the app's mention or the command (memory only). */
  readonly argumentText?: string;
}

/** Form values by widget name; dates and times read as strings (ms since epoch, `HH:MM`). */
export type FormInputs = Readonly<Record<string, readonly string[]>>;

/** Action parameters by key. */
export type ActionParameters = Readonly<Record<string, string>>;

/** Fields every interaction has. */
export interface InteractionBase {
  /**
   * Deterministic id derived from the interaction itself (not the
   * transport): a retried delivery, over HTTP or Pub/Sub, has the same id.
   */
  readonly id: string;
  readonly format: InteractionFormat;
  /** When Chat says the interaction happened (ISO 8601). */
  readonly eventTime: string;
  readonly space: ChatSpaceRef;
  readonly user: ChatUserRef;
  readonly message?: MessageRef;
  /** IANA time zone of the user's client, when sent. */
  readonly timeZone?: string;
  readonly locale?: string;
  /** Where to send the user after configuration (classic `...Url`, add-on `...Uri`). */
  readonly configCompleteRedirectUrl?: string;
}

/** A message to the app in a direct message. */
export interface MessageInteraction extends InteractionBase {
  readonly kind: 'message';
  readonly message: MessageRef;
}

/** A message in a space that @mentions the app. */
export interface MentionInteraction extends InteractionBase {
  readonly kind: 'mention';
  readonly message: MessageRef;
}

/** A slash command typed in a message. `commandId` is Chat's int64, as a string. */
export interface SlashCommandInteraction extends InteractionBase {
  readonly kind: 'slash-command';
  readonly commandId: string;
  readonly commandName?: string;
}

/** Any other app command (`appCommandMetadata`), such as a quick command from the menu. */
export interface AppCommandInteraction extends InteractionBase {
  readonly kind: 'app-command';
  readonly commandId: string;
  /** `QUICK_COMMAND`, or whatever else Chat sends. */
  readonly commandType: string;
}

/** The app was added to the space; `message` is present when it was added by an @mention. */
export interface AddedToSpaceInteraction extends InteractionBase {
  readonly kind: 'added-to-space';
}

/** The app was removed from the space (nothing can be posted in reply). */
export interface RemovedFromSpaceInteraction extends InteractionBase {
  readonly kind: 'removed-from-space';
}

/** A click on a card button (not in a dialog). */
export interface CardClickInteraction extends InteractionBase {
  readonly kind: 'card-click';
  readonly action: string;
  readonly parameters: ActionParameters;
  readonly formInputs: FormInputs;
}

/** A dialog being requested, submitted or cancelled. */
export interface DialogInteraction extends InteractionBase {
  readonly kind: 'dialog';
  readonly phase: 'open' | 'submit' | 'cancel';
  /** For a dialog opened by a command. */
  readonly commandId?: string;
  /** For a dialog opened or submitted by a button. */
  readonly action?: string;
  readonly parameters: ActionParameters;
  readonly formInputs: FormInputs;
}

/** A widget asks for an update, such as suggestions while the user types. */
export interface WidgetUpdateInteraction extends InteractionBase {
  readonly kind: 'widget-update';
  readonly action?: string;
  /** What the user has typed (`autocomplete_widget_query`). */
  readonly query?: string;
  readonly parameters: ActionParameters;
  readonly formInputs: FormInputs;
}

/** The user opened the app's home, or submitted a form on it. */
export interface AppHomeInteraction extends InteractionBase {
  readonly kind: 'app-home';
  readonly phase: 'open' | 'submit';
  readonly action?: string;
  readonly formInputs: FormInputs;
}

/** An event kind this model does not know; recorded and acknowledged. */
export interface UnknownInteraction extends InteractionBase {
  readonly kind: 'unknown';
  /** The classic `type` or the add-on payload's key. */
  readonly eventType: string;
}

/** Every interaction. */
export type Interaction =
  | MessageInteraction
  | MentionInteraction
  | SlashCommandInteraction
  | AppCommandInteraction
  | AddedToSpaceInteraction
  | RemovedFromSpaceInteraction
  | CardClickInteraction
  | DialogInteraction
  | WidgetUpdateInteraction
  | AppHomeInteraction
  | UnknownInteraction;

/** The kinds of interaction. */
export type InteractionKind = Interaction['kind'];

/** The interaction of one kind. */
export type InteractionOf<K extends InteractionKind> = Extract<Interaction, { kind: K }>;

/** Where an interaction came from, for the log: over HTTP or over Pub/Sub. */
export type Transport = 'http' | 'pubsub';
