/**
 * Whether a keydown is the Escape that closes the chat's dialog (its first frame and the panel
 * alike). Not the Escape that cancels an input method's composition (Chinese, Japanese, Korean
 * candidates): browsers mark that one `isComposing`, Safari gives it keyCode 229 instead.
 */
export const dismisses = (e: KeyboardEvent): boolean => e.key === 'Escape' && !e.isComposing && e.keyCode !== 229;
