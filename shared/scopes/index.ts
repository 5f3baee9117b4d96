/**
 * The scope catalogue: scopes, the Chat methods each allows, and the features
 * that need them. One source of truth for app and user authorization.
 */
export * from './catalogue.js';
export * from './methods.js';
export * from './features.js';
