import { describe, expect, it } from 'vitest';
import {
  SCOPE,
  allowedFeatures,
  disabledFeatures,
  isAllowed,
  missingFor,
  scopesToRequest,
} from '../../shared/scopes/index.js';

describe('features that follow the granted scopes', () => {
  it('declares what each feature needs, narrowest first', () => {
    expect(missingFor('incident.open-as-user', [])).toEqual(
      [SCOPE.memberships, SCOPE.spacesCreate].sort(),
    );
    expect(missingFor('incident.acknowledge', [])).toEqual([SCOPE.messagesReactionsCreate]);
    expect(missingFor('myspaces', [])).toEqual([SCOPE.spacesReadonly]);
    expect(missingFor('sign-in', [])).toEqual([SCOPE.openid]);
  });

  it('counts a broader scope as satisfying a narrower need', () => {
    expect(isAllowed('myspaces', [SCOPE.spaces])).toBe(true);
    expect(isAllowed('incident.acknowledge', [SCOPE.messages])).toBe(true);
    expect(missingFor('incident.open-as-user', [SCOPE.spaces])).toEqual([SCOPE.memberships]);
  });

  it('turns off exactly the features whose scopes are missing', () => {
    const granted = ['openid', SCOPE.spacesReadonly, SCOPE.spacesCreate];
    expect(allowedFeatures(granted)).toEqual(['sign-in', 'myspaces']);
    expect(disabledFeatures(granted)).toEqual(['incident.acknowledge', 'incident.open-as-user']);
    expect(disabledFeatures(granted, ['myspaces'])).toEqual([]);
  });

  it('asks for the fewest scopes, reusing one already chosen', () => {
    expect(scopesToRequest(['myspaces', 'incident.acknowledge', 'sign-in'])).toEqual(
      ['openid', SCOPE.messagesReactionsCreate, SCOPE.spacesReadonly].sort(),
    );
    // A need that one scope already chosen serves adds nothing.
    expect(scopesToRequest(['myspaces', 'incident.open-as-user'], [SCOPE.spaces])).toEqual([
      SCOPE.memberships,
    ]);
    expect(scopesToRequest(['myspaces'], [SCOPE.spacesReadonly])).toEqual([]);
  });
});
