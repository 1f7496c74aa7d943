/**
 * The words of the panel's first frame (the message box's label and the panel's title) in each
 * bundled language other than English. They ship with the element, so the box a customer can
 * type into at once, before the panel's code and their language arrive, is never named in
 * another language. The language tables take theirs from here.
 */
export const SHELL_LABELS: Record<string, readonly [message: string, title: string]> = {
  zh: ['消息', '在线客服'],
  ar: ['الرسالة', 'خدمة العملاء'],
  pt: ['Mensagem', 'Atendimento ao cliente'],
  fr: ['Message', 'Service client'],
  es: ['Mensaje', 'Atención al cliente'],
  de: ['Nachricht', 'Kundenservice'],
  ja: ['メッセージ', 'カスタマーサービス'],
  ko: ['메시지', '고객 센터'],
};

/** The first frame's words for a language tag, if it is one of the bundled languages. */
export function shellLabels(tag: string | undefined): readonly [message: string, title: string] | undefined {
  return SHELL_LABELS[(tag ?? '').slice(0, 2).toLowerCase()];
}

/**
 * What the panel's first frame says when the panel's code could not load (offline, or a new
 * release replaced the files), and its button to try again, in every bundled language: the
 * customer is never left with a box that does nothing, whatever language is still loading.
 */
export const LOAD_FAILED: Record<string, readonly [sentence: string, tryAgain: string]> = {
  en: ['The chat could not load.', 'Try again'],
  zh: ['在线客服加载失败。', '重试'],
  ar: ['تعذّر تحميل المحادثة.', 'حاول مرة أخرى'],
  pt: ['Não foi possível carregar o chat.', 'Tentar de novo'],
  fr: ['La discussion n’a pas pu se charger.', 'Réessayer'],
  es: ['No se pudo cargar el chat.', 'Reintentar'],
  de: ['Der Chat konnte nicht geladen werden.', 'Erneut versuchen'],
  ja: ['チャットを読み込めませんでした。', '再試行'],
  ko: ['채팅을 불러오지 못했습니다.', '다시 시도'],
};

/** The load-failure words for a language tag; English for a language not bundled. */
export function loadFailedWords(tag: string | undefined): readonly [sentence: string, tryAgain: string] {
  return LOAD_FAILED[(tag ?? '').slice(0, 2).toLowerCase()] ?? LOAD_FAILED.en!;
}
