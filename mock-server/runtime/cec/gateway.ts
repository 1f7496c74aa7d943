/**
 * The API Fabric gateway in front of the real CEC's REST calls: `tokenByAkSk` turns the tenant's
 * AK/SK pair into an AccessToken, and every call must then carry `x-app-key` and
 * `Authorization: Bearer <AccessToken>`.
 *
 * Source: Huawei CEC "Machine-Machine Interface, AK/SK-based Authentication Interface"
 * (devg-webclint-cec/cec_05_2007, api-cec/cec_07_0005): request header `X-Token-Expire`
 * (seconds, at most 3600; the examples use 600), body `{app_key, app_secret}`, response
 * `{AccessToken, ApplyType: "Bearer", CreateTime (epoch seconds, string), Expires (seconds,
 * string), Scope, AppKey, UserID: "Anonymous"}`. A 401 means an expired Authorization; a 403 on
 * applyToken says "auth fail! illegal or expired token info" (devg-voip-cec/cec_05_1003).
 * AccessTokens expire on the mock clock, so a test can let one lapse without waiting.
 */
import type { CecFaceConfig } from '../../config/types.js';
import type { Clock } from '../clock.js';

/** X-Token-Expire when the request has none (the documentation's example value). */
export const DEFAULT_ACCESS_TOKEN_SECONDS = 600;
export const MAX_ACCESS_TOKEN_SECONDS = 3600;
/** AccessTokens remembered at once; the oldest is forgotten past this. */
const MAX_ACCESS_TOKENS = 10_000;

/** A refusal: HTTP status and the `{errorCode, exceptionInfo}` body. */
export interface GatewayRefusal {
  status: 400 | 401 | 403;
  errorCode: string;
  exceptionInfo: string;
}

export interface TokenByAkSkResponse {
  AccessToken: string;
  ApplyType: 'Bearer';
  CreateTime: string;
  Expires: string;
  Scope: string;
  AppKey: string;
  UserID: 'Anonymous';
}

const refuse = (status: GatewayRefusal['status'], errorCode: string, exceptionInfo: string): GatewayRefusal => ({ status, errorCode, exceptionInfo });

export class ApiFabric {
  /** AccessToken → its appKey and expiry (epoch ms on the mock clock). */
  private tokens = new Map<string, { appKey: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly config: () => CecFaceConfig,
  ) {}

  reset(): void {
    this.tokens.clear();
  }

  /**
   * `POST /apigovernance/api/oauth/tokenByAkSk`. `expireHeader` is the raw `X-Token-Expire`
   * header (null: 600 s). A wrong pair is a 401; a bad header or body a 400.
   */
  tokenByAkSk(body: Record<string, unknown>, expireHeader: string | null): TokenByAkSkResponse | GatewayRefusal {
    const { app_key: appKey, app_secret: appSecret } = body;
    if (typeof appKey !== 'string' || appKey === '') return refuse(400, 'tokenByAkSk.app_key.missing', 'app_key is required.');
    if (typeof appSecret !== 'string' || appSecret === '') return refuse(400, 'tokenByAkSk.app_secret.missing', 'app_secret is required.');
    let seconds = DEFAULT_ACCESS_TOKEN_SECONDS;
    if (expireHeader !== null && expireHeader.trim() !== '') {
      seconds = Number(expireHeader.trim());
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_ACCESS_TOKEN_SECONDS) {
        return refuse(400, 'tokenByAkSk.X-Token-Expire.invalid', `X-Token-Expire must be a whole number of seconds from 1 to ${MAX_ACCESS_TOKEN_SECONDS}.`);
      }
    }
    const cfg = this.config();
    if (!sameText(appKey, cfg.appKey) || !sameText(appSecret, cfg.appSecret)) {
      return refuse(401, 'auth.aksk.invalid', 'auth fail! The app_key and app_secret pair is not valid.');
    }
    const now = this.clock.now();
    const token = randomHex(32);
    if (this.tokens.size >= MAX_ACCESS_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, { appKey, expiresAt: now + seconds * 1000 });
    return {
      AccessToken: token,
      ApplyType: 'Bearer',
      CreateTime: String(Math.floor(now / 1000)),
      Expires: String(seconds),
      Scope: 'ccmessaging',
      AppKey: appKey,
      UserID: 'Anonymous',
    };
  }

  /**
   * Checks `x-app-key` and `Authorization: Bearer <AccessToken>` of a call. `applyToken` is
   * refused with 403 (as documented for it), every other call with 401. Null: accepted.
   */
  check(appKeyHeader: string | null, authorization: string | null, call: string): GatewayRefusal | null {
    const status = call === 'applyToken' ? 403 : 401;
    if (!appKeyHeader) return refuse(401, 'auth.appKey.missing', 'The x-app-key header is required.');
    const bearer = /^Bearer[ \t]+(\S+)$/i.exec((authorization ?? '').trim());
    if (!bearer) return refuse(401, 'auth.accessToken.missing', 'The header "Authorization: Bearer <AccessToken>" is required.');
    const rec = this.tokens.get(bearer[1]!);
    if (!rec) return refuse(status, 'auth.accessToken.invalid', 'auth fail! illegal or expired token info: get a new AccessToken with tokenByAkSk.');
    if (rec.expiresAt <= this.clock.now()) {
      this.tokens.delete(bearer[1]!);
      return refuse(status, 'auth.accessToken.expired', 'auth fail! illegal or expired token info: get a new AccessToken with tokenByAkSk.');
    }
    if (!sameText(appKeyHeader, rec.appKey)) return refuse(status, 'auth.appKey.mismatch', 'auth fail! x-app-key is not the app_key the AccessToken was issued to.');
    return null;
  }
}

/** Compares secrets without an early exit on the first differing character. */
function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}
