/**
 * The demo world `npm start` seeds: three people, the spaces they share, the
 * app's identity (project, service account, OAuth client). Plain data, so
 * the page, the stand-ins and the functions' settings agree on it.
 */
import type { SeedSpace } from '../standins/chat-api.js';

/** A demo person: a Chat user and a Google account with the same numeric id. */
export interface DemoUser {
  /** Numeric account id: Chat's `users/{id}` and the ID token's `sub`. */
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
}

/** The demo people. */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: '110000000000000000001', displayName: 'Ada Lovelace', email: 'ada@example.com' },
  { id: '110000000000000000002', displayName: 'Grace Hopper', email: 'grace@example.com' },
  { id: '110000000000000000003', displayName: 'Linus Torvalds', email: 'linus@example.com' },
];

/** `users/{id}` of a demo person. */
export const userName = (user: DemoUser): string => `users/${user.id}`;

const [ada, grace, linus] = DEMO_USERS.map(userName) as [string, string, string];

/** The spaces at start: the app is in none of them until someone adds it. */
export const DEMO_SPACES: readonly SeedSpace[] = [
  {
    name: 'spaces/AAAAengineering',
    displayName: 'Engineering',
    members: [ada, grace, linus],
    appMember: false,
  },
  {
    name: 'spaces/AAAAoperations',
    displayName: 'Operations',
    members: [grace, linus],
    appMember: false,
  },
  { name: 'spaces/AAAAdmada', spaceType: 'DIRECT_MESSAGE', members: [ada], appMember: false },
  { name: 'spaces/AAAAdmgrace', spaceType: 'DIRECT_MESSAGE', members: [grace], appMember: false },
  { name: 'spaces/AAAAdmlinus', spaceType: 'DIRECT_MESSAGE', members: [linus], appMember: false },
];

/** People added to every incident space (`INCIDENT_RESPONDERS`). */
export const DEMO_RESPONDERS: readonly string[] = [ada, grace];

/** The demo Google Cloud project. */
export const DEMO_PROJECT = { id: 'spacelog-local', number: '424242424242' } as const;

/** The Chat app's service account. */
export const DEMO_SERVICE_ACCOUNT = `spacelog-chat@${DEMO_PROJECT.id}.iam.gserviceaccount.com`;

/** The OAuth client users sign in through. */
export const DEMO_OAUTH_CLIENT_ID = '424242424242-spacelog.apps.googleusercontent.com';
