/**
 * The building blocks of tenant validation: the error type and a small field reader that
 * names the field in both the errorCode and the message. Input comes from JSON, so every
 * reader checks the JavaScript type before the rule.
 */

/** A configuration rule broken: HTTP 400 with `{errorCode, exceptionInfo, field}`. */
export class ConfigError extends Error {
  readonly status = 400;

  constructor(
    readonly errorCode: string,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Length in characters (code points), as a user counts them, not UTF-16 units. */
export const charCount = (s: string): number => [...s].length;

export const DIGITS = /^\d{1,24}$/;
export const DIGITS_TEXT = 'must be 1–24 digits';

/** Full code a called route is reached by: access code + extension code. */
export const fullCode = (r: { accessCode?: unknown; extensionCode?: unknown }): string =>
  String(r.accessCode ?? '') + String(r.extensionCode ?? '');

interface StrRule {
  /** Left out (undefined) is fine; present must still follow the rule. */
  optional?: boolean;
  max?: number;
  pattern?: RegExp;
  /** The whole rule in words, e.g. "must be 1–20 characters without spaces". */
  text?: string;
  /** Rule part of the errorCode; default `invalid` with a pattern, `tooLong` without. */
  rule?: string;
}

/**
 * Reads the fields of one object. `code` prefixes errorCodes (`queue`, `queue.policy`),
 * `path` prefixes fields (`skillQueues[1]`, `skillQueues[1].onTimeout`, or '' for the top).
 */
export class Scope {
  constructor(
    readonly code: string,
    readonly path: string,
    readonly o: Obj,
  ) {}

  /** A scope over `v`, which must be a plain object. */
  static of(code: string, path: string, v: unknown, what = 'an object'): Scope {
    if (!isObj(v)) throw new ConfigError(`${code}.notObject`, `${path || 'The body'} must be ${what}.`, path);
    return new Scope(code, path, v);
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** Throws `<code>.<key>.<rule>` with "<field> <text>." */
  fail(key: string, rule: string, text: string): never {
    return this.raise(`${this.code}.${key}.${rule}`, key, text);
  }

  /** Throws a ConfigError with an errorCode not derived from the key. */
  raise(errorCode: string, key: string, text: string): never {
    const field = this.at(key);
    throw new ConfigError(errorCode, `${field} ${text}.`, field);
  }

  /** Rejects fields the object does not have (typos would otherwise be dropped silently). */
  known(fields: readonly string[]): void {
    for (const [k, v] of Object.entries(this.o)) {
      // undefined is how JSON leaves a field out, so it is not a field at all.
      if (v !== undefined && !fields.includes(k)) this.raise(`${this.code}.unknownField`, k, `is not a known field (known: ${fields.join(', ')})`);
    }
  }

  private present(key: string, optional: boolean | undefined): boolean {
    const v = this.o[key];
    if (v === undefined && optional) return false;
    if (v === undefined || v === null) this.fail(key, 'required', 'is required');
    return true;
  }

  str(key: string, rule: StrRule & { optional: true }): string | undefined;
  str(key: string, rule?: StrRule): string;
  str(key: string, rule: StrRule = {}): string | undefined {
    if (!this.present(key, rule.optional)) return undefined;
    const v = this.o[key];
    if (typeof v !== 'string') return this.fail(key, 'type', rule.optional ? 'must be a string or left out' : 'must be a string');
    const text = rule.text ?? `must be at most ${rule.max} characters`;
    const code = rule.rule ?? (rule.pattern ? 'invalid' : 'tooLong');
    // An empty required field reads as "missing", not as breaking its pattern; an optional
    // one is left out rather than sent empty.
    if (!rule.optional && (v === '' || (!rule.pattern && v.trim() === ''))) this.fail(key, 'required', 'is required');
    if (rule.optional && v === '') this.fail(key, rule.rule ?? 'invalid', text);
    if (rule.max !== undefined && charCount(v) > rule.max) this.fail(key, code, text);
    if (rule.pattern && !rule.pattern.test(v)) this.fail(key, code, text);
    return v;
  }

  /** A string that may be empty (free text such as a conclusion), at most `max` characters. */
  text(key: string, max: number): string {
    this.present(key, false);
    const v = this.o[key];
    if (typeof v !== 'string') return this.fail(key, 'type', 'must be a string');
    if (charCount(v) > max) this.fail(key, 'tooLong', `must be at most ${max} characters`);
    return v;
  }

  int(key: string, min: number, max: number): number {
    this.present(key, false);
    const v = this.o[key];
    if (typeof v !== 'number') return this.fail(key, 'type', `must be an integer from ${min} to ${max}, not a ${typeof v}`);
    if (!Number.isInteger(v) || v < min || v > max) this.fail(key, 'range', `must be an integer from ${min} to ${max}`);
    return v;
  }

  bool(key: string): boolean {
    this.present(key, false);
    const v = this.o[key];
    if (typeof v !== 'boolean') return this.fail(key, 'type', 'must be true or false');
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[], optional?: boolean): T {
    if (!this.present(key, optional)) return undefined as unknown as T;
    const v = this.o[key];
    if (typeof v !== 'string') return this.fail(key, 'type', 'must be a string');
    if (!(values as readonly string[]).includes(v)) this.fail(key, 'invalid', `must be one of ${values.join(', ')}`);
    return v as T;
  }

  arr(key: string): unknown[] {
    this.present(key, false);
    const v = this.o[key];
    if (!Array.isArray(v)) return this.fail(key, 'type', 'must be an array');
    return v;
  }

  /** A nested object; with `nullable`, null (the feature is off) is returned as null. */
  obj(key: string, nullable: true): Scope | null;
  obj(key: string, nullable?: false): Scope;
  obj(key: string, nullable = false): Scope | null {
    const v = this.o[key];
    if (v === null && nullable) return null;
    if (v === undefined) this.fail(key, 'required', nullable ? 'is required (null turns it off)' : 'is required');
    if (!isObj(v)) this.fail(key, 'type', nullable ? 'must be null (off) or an object' : 'must be an object');
    return new Scope(`${this.code}.${key}`, this.at(key), v as Obj);
  }
}
