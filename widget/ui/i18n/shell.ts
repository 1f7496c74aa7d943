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
