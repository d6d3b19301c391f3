// The Slack Web API methods Quorum calls and the bot scopes each needs (Slack's method
// reference), the commands and shortcuts it registers. The manifest, the OAuth install and a
// test that reads the code for the methods it calls all use this one list.
export const METHOD_SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'oauth.v2.access': [],
  'users.info': ['users:read', 'users:read.email'],
  'users.lookupByEmail': ['users:read.email'],
  'views.open': [],
  'views.publish': [],
};

/** Slash commands and shortcuts need the `commands` scope. */
export const INTERACTION_SCOPES = ['commands'] as const;

export const BOT_SCOPES: readonly string[] = [
  ...new Set([...Object.values(METHOD_SCOPES).flat(), ...INTERACTION_SCOPES]),
].sort();

export const BOT_EVENTS = ['app_home_opened'] as const;

export const SLASH_COMMAND = {
  command: '/meet',
  description: 'Find times, book, poll and follow up with Quorum',
  usageHint: 'find 30m with @ana @raj next week afternoons',
} as const;

export const MESSAGE_SHORTCUT = {
  name: 'Schedule with Quorum',
  callbackId: 'quorum_schedule_thread',
  description: 'Propose times for the people in this thread',
} as const;
