/**
 * The widget's storage keys, in one place: widget/client/persistence.ts reads and writes them,
 * and the element (widget/ui) only asks whether a chat is kept, before the panel's code loads.
 * Ids are URI-encoded, so no channel or user id can reach another record's key.
 */

/** Every key prefix of the widget: `cec-chat:`. */
export const KEY_PREFIX = 'cec-chat:';
const enc = encodeURIComponent;

/** The prefix of every key of one channel: `cec-chat:<channelId>:`. */
export const channelPrefix = (channelId: string): string => `${KEY_PREFIX}${enc(channelId)}:`;

/** The widget's storage keys (see persistence.ts for what each holds and where). */
export const storageKeys = {
  /** localStorage: a customer's session record. */
  session: (channelId: string, userId: string) => `${channelPrefix(channelId)}session:${enc(userId)}`,
  /** The part of `session` keys before the user id: a chat of the channel is kept by some customer. */
  sessionPrefix: (channelId: string) => `${channelPrefix(channelId)}session:`,
  anonymousId: (channelId: string) => `${channelPrefix(channelId)}anon`,
  activity: (channelId: string) => `${channelPrefix(channelId)}activity`,
  /** sessionStorage: whether this tab had the panel open. */
  open: (channelId: string) => `${channelPrefix(channelId)}open`,
  draft: (channelId: string) => `${channelPrefix(channelId)}draft`,
  /** Not a storage key: the name of the Web Lock and BroadcastChannel the customer's tabs share. */
  tabs: (channelId: string, userId: string) => `${channelPrefix(channelId)}tabs:${enc(userId)}`,
};
