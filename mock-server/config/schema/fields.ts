/**
 * The field vocabulary of the tenant schemas (valibot) and the one mapping from a schema issue
 * to our `{errorCode, exceptionInfo, field}`.
 *
 * Every message in these schemas is `"<rule> <sentence>"`. The mapping turns the issue's path
 * into the field (`skillQueues[3].onTimeout.target`) and the errorCode into
 * `<object code>.<field name>.<rule>` (`queue.policy.target.required`), where the object code
 * comes from the path (`skillQueues[3]` → `queue`, `…onTimeout` → `queue.policy`). A rule
 * with a dot is a whole errorCode; `notObject` and `unknownField` belong to the object itself.
 * Input comes from JSON, so each field first checks the JavaScript type, and a field left out
 * (undefined or null) reads as `required`.
 */
import * as v from 'valibot';
import { LOCALE_TAG, type LocalizedText } from '../../../widget/core/locale.js';
import { type ApiFailure, badRequest } from '../../runtime/errors.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Length in characters (code points), as a user counts them, not UTF-16 units. */
export const charCount = (s: string): number => [...s].length;

export const DIGITS = /^\d{1,24}$/;
export const DIGITS_TEXT = 'must be 1–24 digits';

/** Full code a called route is reached by: access code + extension code. */
export const fullCode = (r: { accessCode?: unknown; extensionCode?: unknown }): string => String(r.accessCode ?? '') + String(r.extensionCode ?? '');

type Issue = v.BaseIssue<unknown>;

/** A message for a type check: `required` when the value is left out, else `rule`. */
const typed = (rule: string, text: string | ((i: Issue) => string)) => (i: Issue) => (i.input == null ? 'required is required' : `${rule} ${typeof text === 'string' ? text : text(i)}`);

/** An integer from `min` to `max`: `type` when not a number, `range` otherwise. */
export function int(min: number, max: number) {
  const text = `must be an integer from ${min} to ${max}`;
  return v.pipe(v.number(typed('type', (i) => `${text}, not a ${typeof i.input}`)), v.integer(`range ${text}`), v.minValue(min, `range ${text}`), v.maxValue(max, `range ${text}`));
}

/** true or false. */
export const bool = () => v.boolean(typed('type', 'must be true or false'));

/** One of `values` (an enumeration of the admin guide): `type` when not a string, `invalid` otherwise. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return v.picklist(values, (i) => (i.input == null ? 'required is required' : typeof i.input !== 'string' ? 'type must be a string' : `invalid must be one of ${values.join(', ')}`));
}

interface StrRule {
  max?: number;
  pattern?: RegExp;
  /** The whole rule in words, e.g. "must be 1–20 characters without spaces". */
  text?: string;
  /** Rule part of the errorCode; default `invalid` with a pattern, `tooLong` without. */
  rule?: string;
}

/** The length and pattern checks of a string rule, each failing with `bad`. */
const limits = (r: StrRule, bad: string) => [v.check((s: string) => r.max === undefined || charCount(s) <= r.max, bad), v.check((s: string) => !r.pattern || r.pattern.test(s), bad)] as const;

/**
 * A required string. Empty (or blank, when no pattern explains what is allowed) reads as
 * "missing", not as breaking the pattern.
 */
export function str(r: StrRule = {}): v.GenericSchema<string> {
  const bad = `${r.rule ?? (r.pattern ? 'invalid' : 'tooLong')} ${r.text ?? `must be at most ${r.max} characters`}`;
  return v.pipe(
    v.string(typed('type', 'must be a string')),
    v.check((s) => s !== '' && (r.pattern !== undefined || s.trim() !== ''), 'required is required'),
    ...limits(r, bad),
  );
}

/** An optional string: left out is fine, but present (even "") must follow the rule. */
export function optStr(r: StrRule) {
  const bad = `${r.rule ?? 'invalid'} ${r.text ?? `must be at most ${r.max} characters`}`;
  return v.optional(
    v.pipe(
      v.string(typed('type', 'must be a string or left out')),
      v.check((s) => s !== '', bad),
      ...limits(r, bad),
    ),
  );
}

/** Free text that may be empty (a conclusion, a reminder), at most `max` characters. */
export const text = (max: number) =>
  v.pipe(
    v.string(typed('type', 'must be a string')),
    v.check((s) => charCount(s) <= max, `tooLong must be at most ${max} characters`),
  );

/** Most languages one text may be given in. */
export const MAX_LANGUAGES = 50;

/**
 * A customer-facing text: a string (every language), or an object of texts by BCP 47 tag
 * (`{"en": "…", "pt-BR": "…"}`, at most MAX_LANGUAGES, tags unique regardless of case), each
 * text at most `max` characters. `empty` allows "" as the plain string (a text that is off);
 * a text of a language is never empty. An issue in one language names it:
 * `channels[0].workTime.nonWorkingNotice.pt-BR`. The customer's text is chosen by
 * widget/core/locale.ts.
 */
export function localText(max: number, o: { empty?: boolean; item?: boolean } = {}): v.GenericSchema<unknown, LocalizedText> {
  // An item of a list breaks one rule, `invalid`, as word() does.
  const itemRule = `invalid must be a non-empty string of at most ${max} characters, or an object of such texts by language tag`;
  const tooLong = o.item ? itemRule : `tooLong must be at most ${max} characters`;
  const required = o.item ? itemRule : 'required is required';
  return v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const x = dataset.value;
      if (x == null) return addIssue({ message: required });
      if (typeof x === 'string') {
        if (!o.empty && x.trim() === '') return addIssue({ message: required });
        if (charCount(x) > max) addIssue({ message: tooLong });
        return;
      }
      if (!isObj(x)) return addIssue({ message: o.item ? itemRule : 'type must be a string, or an object of texts by language tag such as {"en": "…", "pt-BR": "…"}' });
      const at = (key: string, origin: 'key' | 'value') => [{ type: 'object', origin, input: x, key, value: x[key] }] as unknown as [v.IssuePathItem];
      const tags = Object.keys(x).filter((k) => x[k] !== undefined);
      if (tags.length === 0) return addIssue({ message: 'required must give a text for at least one language' });
      if (tags.length > MAX_LANGUAGES) return addIssue({ message: `tooMany has ${tags.length} languages; at most ${MAX_LANGUAGES} are allowed` });
      const seen = new Set<string>();
      for (const tag of tags) {
        if (!LOCALE_TAG.test(tag) || tag.length > 35) {
          return addIssue({ message: `invalid "${tag}" is not a BCP 47 language tag such as en, pt-BR or fr`, path: at(tag, 'key') });
        }
        if (seen.has(tag.toLowerCase())) return addIssue({ message: `duplicate repeats the language ${tag} (tags ignore case)`, path: at(tag, 'key') });
        seen.add(tag.toLowerCase());
        const t = x[tag];
        if (typeof t !== 'string') return addIssue({ message: 'type must be a string', path: at(tag, 'value') });
        if (t.trim() === '') return addIssue({ message: 'required is required (leave the language out instead)', path: at(tag, 'value') });
        if (charCount(t) > max) return addIssue({ message: tooLong, path: at(tag, 'value') });
      }
    }),
    v.transform((x) => (typeof x === 'string' ? x : { ...(x as Record<string, string>) })),
  );
}

/** An optional BCP 47 language tag (a channel's default language). */
export const optLocale = () =>
  v.optional(
    v.pipe(
      v.string(typed('type', 'must be a language tag such as en, pt-BR or fr, or left out')),
      v.check((s) => LOCALE_TAG.test(s) && s.length <= 35, 'invalid must be a BCP 47 language tag such as en, pt-BR or fr'),
    ),
  );

/** A non-empty string of at most `max` characters, as an item of a list (`invalid` otherwise). */
export const word = (max: number) =>
  v.pipe(
    v.string(`invalid must be a non-empty string of at most ${max} characters`),
    v.check((s) => s.trim() !== '' && charCount(s) <= max, `invalid must be a non-empty string of at most ${max} characters`),
  );

/** A list of `item`s; an item's issue names it (`transferKeywords[1]`) under the list's code. */
export const list = <T extends v.GenericSchema>(item: T) => v.array(item, typed('type', 'must be an array'));

interface ObjOptions {
  /** Message when the value is not an object; default `notObject` (an item of a list). */
  notObject?: string;
}

/**
 * An object with exactly these fields. Fields it does not know are rejected (a typo would
 * otherwise be dropped silently); undefined is how JSON leaves a field out, so it is no field.
 */
export function object<const E extends v.ObjectEntries>(entries: E, o: ObjOptions = {}) {
  const known = Object.keys(entries);
  return v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const input = dataset.value;
      if (!isObj(input)) return addIssue({ message: o.notObject ?? 'notObject must be an object' });
      const key = Object.keys(input).find((k) => input[k] !== undefined && !known.includes(k));
      if (key !== undefined) {
        addIssue({
          message: `unknownField is not a known field (known: ${known.join(', ')})`,
          path: [{ type: 'object', origin: 'key', input, key, value: input[key] }],
        });
      }
    }),
    v.object(entries, 'required is required'),
  );
}

/** `null` (the feature is off) or an object with these fields. */
export const nullableObject = <const E extends v.ObjectEntries>(entries: E) => v.nullable(object(entries, { notObject: 'type must be null (off) or an object' }));

/** A nested (non-list) object field. */
export const nested = <const E extends v.ObjectEntries>(entries: E) => object(entries, { notObject: 'type must be an object' });

/** A rule broken at `path` (relative to the value checked), with `"<rule> <sentence>"`. */
export interface Broken {
  path: ReadonlyArray<string | number>;
  message: string;
}

/**
 * A check across fields of one value (object or list): `find` returns the first rule broken,
 * or nothing. Runs only when the value's own fields are valid.
 */
export function rule<T>(find: (o: T) => Broken | undefined) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const broken = find(dataset.value);
    if (!broken) return;
    let input = dataset.value as unknown;
    const path = broken.path.map((key) => {
      const value = (input as Obj)[key as string];
      const item = { type: 'object', origin: 'value', input, key, value };
      input = value;
      return item;
    });
    addIssue({ message: broken.message, path: path as unknown as [v.IssuePathItem] });
  });
}

// ── the mapping ──

/** errorCode prefix of the objects of each collection; nested objects append their key. */
const COLLECTION_CODE: Record<string, string> = {
  ivrs: 'ivr',
  skillQueues: 'queue',
  calledRoutes: 'route',
  agents: 'agent',
  channels: 'channel',
  autoAgents: 'autoAgent',
};
/** Nested objects whose code is not their key. */
const NESTED_CODE: Record<string, string> = {
  onTimeout: 'policy',
  onBusy: 'policy',
  onNoAgents: 'policy',
  workday: 'segment',
  nonWorkday: 'segment',
  rules: 'rule',
};

/** The errorCode prefix of the object at `names` (the path without list indexes). */
function objectCode(root: string, names: string[]): string {
  if (names.length === 0) return root;
  const [first, ...rest] = names;
  const head = root === 'tenant' ? (COLLECTION_CODE[first!] ?? first!) : `${root}.${first}`;
  return [head, ...rest.map((k) => NESTED_CODE[k] ?? k)].join('.');
}

/** `a.b[1].c` from path keys. */
export function formatPath(keys: ReadonlyArray<string | number>, base = ''): string {
  let out = base;
  for (const k of keys) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

/**
 * The one mapping: a schema issue → an ApiFailure (400) naming the field. `root` is the
 * errorCode prefix of the value parsed (`tenant` for the whole configuration).
 */
export function toFailure(issue: Issue, root: string): ApiFailure {
  const keys = (issue.path ?? []).map((p) => p.key as string | number);
  const field = formatPath(keys);
  const space = issue.message.indexOf(' ');
  let ruleName = issue.message.slice(0, space);
  let sentence = issue.message.slice(space + 1);
  // A message written by valibot itself (no rule of ours) still gets a code and a sentence.
  if (!/^[a-z][\w.]*$/.test(ruleName)) [ruleName, sentence] = ['invalid', `is not valid (${issue.message})`];
  const names = keys.filter((k): k is string => typeof k === 'string');
  let code: string;
  if (ruleName.includes('.')) code = ruleName;
  else if (ruleName === 'notObject') code = `${objectCode(root, names)}.notObject`;
  else if (ruleName === 'unknownField') code = `${objectCode(root, names.slice(0, -1))}.unknownField`;
  else code = `${objectCode(root, names.slice(0, -1))}.${names.at(-1)}.${ruleName}`;
  return badRequest(code, `${field || 'The body'} ${sentence}.`, field);
}

/** Parses `input` with `schema`, throwing the first issue as an ApiFailure. */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, input: unknown, root: string): v.InferOutput<S> {
  const r = v.safeParse(schema, input, { abortEarly: true });
  if (!r.success) throw toFailure(r.issues[0], root);
  return r.output;
}

/** A cross-object rule broken at `field` (a path from the tenant): `errorCode` in full. */
export const fail = (errorCode: string, field: string, sentence: string): never => {
  throw badRequest(errorCode, `${field} ${sentence}.`, field);
};
