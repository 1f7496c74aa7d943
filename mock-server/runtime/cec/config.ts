/**
 * Validation of the real CEC face's settings (CecFaceConfig, beside the tenant): `PUT
 * /mock/cec/config` and the face's constructor refuse a bad value with a 400 naming the field.
 */
import { LOCALE_TAG } from '../../../widget/core/locale.js';
import type { CecFaceConfig } from '../../config/types.js';
import { badRequest } from '../errors.js';

/** Checks every setting of the face; throws a 400 naming the first invalid field. */
export function validateCecFaceConfig(c: CecFaceConfig): CecFaceConfig {
  const bad = (field: string, why: string) => badRequest(`cecFace.${field}.invalid`, `${field} ${why}`, field);
  const known = ['appKey', 'appSecret', 'pollHoldSeconds', 'releaseAfterSeconds', 'language', 'connectedText', 'downloadMaxBytes', 'satisfactionSurvey'];
  for (const k of Object.keys(c)) if (!known.includes(k)) throw bad(k, 'is not a setting of the CEC face.');
  for (const f of ['appKey', 'appSecret'] as const) {
    if (typeof c[f] !== 'string' || !/^[\x21-\x7e]{8,128}$/.test(c[f])) throw bad(f, 'must be 8–128 printable ASCII characters.');
  }
  const int = (f: 'pollHoldSeconds' | 'releaseAfterSeconds' | 'downloadMaxBytes', lo: number, hi: number) => {
    if (!Number.isInteger(c[f]) || c[f] < lo || c[f] > hi) throw bad(f, `must be a whole number from ${lo} to ${hi}.`);
  };
  int('pollHoldSeconds', 0, 60);
  int('releaseAfterSeconds', 10, 86_400);
  int('downloadMaxBytes', 1, 50 * 1024 * 1024);
  if (c.language !== 'en' && c.language !== 'zh') throw bad('language', 'must be "en" or "zh".');
  if (c.satisfactionSurvey !== 'WEB' && c.satisfactionSurvey !== 'NO') throw bad('satisfactionSurvey', 'must be "WEB" or "NO".');
  if (typeof c.connectedText !== 'object' || c.connectedText === null || Array.isArray(c.connectedText)) {
    throw bad('connectedText', 'must be an object of texts by language tag, with at least en and zh ({en, zh, "pt-BR", …}).');
  }
  const tags = Object.keys(c.connectedText);
  for (const l of new Set(['en', 'zh', ...tags])) {
    if (!LOCALE_TAG.test(l) || l.length > 35) throw bad(`connectedText.${l}`, 'is not a BCP 47 language tag such as en, zh, pt-BR or fr.');
    const t = c.connectedText[l];
    if (typeof t !== 'string' || !t.trim() || t.length > 500) throw bad(`connectedText.${l}`, 'must be 1–500 characters.');
  }
  if (tags.length > 50) throw bad('connectedText', 'may give at most 50 languages.');
  return { ...c, connectedText: Object.fromEntries(['en', 'zh', ...tags.filter((l) => l !== 'en' && l !== 'zh')].map((l) => [l, c.connectedText[l]!])) as CecFaceConfig['connectedText'] };
}
