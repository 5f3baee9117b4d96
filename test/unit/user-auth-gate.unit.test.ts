import { describe, expect, it } from 'vitest';
import { FEATURES, SCOPE } from '../../shared/scopes/index.js';
import { featuresInUse, featuresOffByDecline, offNotice } from '../../shared/user-auth/gate.js';
import { renderPage, type CallbackPage } from '../../shared/user-auth/pages.js';
import { isChatRedirect } from '../../shared/user-auth/sign-in.js';

const CHAT = ['https://chat.google.com'];

describe('Chat redirect check', () => {
  it.each([
    ['https://chat.google.com/api/bot_config_complete?token=x', true],
    ['https://chat.google.com.evil.test/x', false],
    ['http://chat.google.com/x', false],
    ['https://user:pw@chat.google.com/x', false],
    ['https://evil.test/?next=https://chat.google.com', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isChatRedirect(url, CHAT)).toBe(allowed);
  });

  it('accepts a configured local origin', () => {
    expect(isChatRedirect('http://127.0.0.1:8080/config-complete', ['http://127.0.0.1:8080'])).toBe(
      true,
    );
  });
});

describe('features a sign-in left off', () => {
  const inUse = featuresInUse({ incidentSpaceMode: 'user' });

  it('names only the features whose declined scopes they need', () => {
    const granted = ['openid', SCOPE.spacesCreate];
    expect(featuresOffByDecline(granted, [SCOPE.memberships], inUse)).toEqual([
      'incident.open-as-user',
    ]);
    expect(offNotice(granted, [SCOPE.memberships], inUse)).toContain(
      FEATURES['incident.open-as-user'].label,
    );
    expect(offNotice(granted, [], inUse)).toBeUndefined();
  });

  it('leaves incident space creation as the user out unless that mode is on', () => {
    expect(featuresInUse({ incidentSpaceMode: 'app' })).not.toContain('incident.open-as-user');
  });
});

describe('callback pages', () => {
  it('say what happened without internals', () => {
    const pages: CallbackPage[] = [
      'denied',
      'expired',
      'wrong-account',
      'no-offline-access',
      'bad-request',
      'unavailable',
      'signed-in',
    ];
    for (const page of pages) {
      const html = renderPage(page);
      expect(html).toMatch(/<h1>[^<]+<\/h1>/);
      expect(html).not.toMatch(/state|token|sub\b|invalid_grant|Error:/i);
    }
  });
});
