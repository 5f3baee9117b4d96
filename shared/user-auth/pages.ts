/**
 * The small pages `oauthCallback` shows when it cannot send the browser back
 * to Chat. Each says what happened and what to do, in plain words; none
 * names an internal reason, a token or an identifier.
 */

/** Every page the callback can show. */
export type CallbackPage =
  | 'denied'
  | 'expired'
  | 'wrong-account'
  | 'no-offline-access'
  | 'bad-request'
  | 'unavailable'
  | 'signed-in';

interface PageText {
  readonly status: number;
  readonly title: string;
  readonly body: string;
}

const AGAIN = 'Go back to Google Chat and use the command again to get a new sign-in link.';

const PAGES: Readonly<Record<CallbackPage, PageText>> = {
  denied: {
    status: 200,
    title: 'Sign-in cancelled',
    body: 'You did not allow Spacelog to act for you, so nothing was changed. ' + AGAIN,
  },
  expired: {
    status: 400,
    title: 'This sign-in link has expired',
    body: 'Sign-in links work once and only for a few minutes. ' + AGAIN,
  },
  'wrong-account': {
    status: 403,
    title: 'Wrong Google account',
    body:
      'You signed in with a different Google account than the one you use in Google Chat, ' +
      'so nothing was stored. ' +
      AGAIN +
      ' Then choose the account you use in Chat.',
  },
  'no-offline-access': {
    status: 400,
    title: 'Sign-in incomplete',
    body:
      'Google did not give Spacelog lasting access, so nothing was stored. ' +
      AGAIN +
      ' You will be asked to confirm the access again.',
  },
  'bad-request': {
    status: 400,
    title: 'Sign-in failed',
    body: 'This sign-in request is not valid. ' + AGAIN,
  },
  unavailable: {
    status: 503,
    title: 'Sign-in failed',
    body: 'Spacelog could not complete the sign-in just now. Please try again in a minute.',
  },
  'signed-in': {
    status: 200,
    title: 'Signed in',
    body: 'You are signed in to Spacelog. You can close this page and go back to Google Chat.',
  },
};

/** The HTTP status of a page. */
export function pageStatus(page: CallbackPage): number {
  return PAGES[page].status;
}

/** The HTML of a page. */
export function renderPage(page: CallbackPage): string {
  const { title, body } = PAGES[page];
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${title}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>' +
    `</head><body><h1>${title}</h1><p>${body}</p></body></html>`
  );
}
