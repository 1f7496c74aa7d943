/**
 * Plural forms through the platform's CLDR rules (`Intl.PluralRules`), so each language states
 * its own forms (Arabic has six, Japanese one) instead of an English "one / other" test.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();

/**
 * The form of `forms` for `n` in language `code` (a BCP 47 tag such as "ar" or "pt-BR"), with
 * `{n}` replaced by the number formatted for that language. Falls back to `forms.other`.
 */
export function plural(code: string, n: number, forms: PluralForms): string {
  let r = rules.get(code);
  if (!r) rules.set(code, (r = new Intl.PluralRules(code)));
  const form = forms[r.select(n)] ?? forms.other;
  return form.replace('{n}', new Intl.NumberFormat(code).format(n));
}
