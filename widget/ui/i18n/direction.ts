/**
 * The writing direction of a language tag, known before its strings have loaded, so the widget
 * is laid out right-to-left from its first frame (the script tag's early launcher uses it too).
 * Right-to-left: Arabic, Hebrew (and its old code iw), Persian, Urdu, Pashto, Yiddish, Dhivehi,
 * Uyghur, Sorani Kurdish and Sindhi — the CLDR languages whose default script runs right to left.
 */
export function directionOf(tag: string | undefined): 'ltr' | 'rtl' {
  return /^(ar|he|iw|fa|ur|ps|yi|dv|ug|ckb|sd)(-|_|$)/i.test(tag ?? '') ? 'rtl' : 'ltr';
}
