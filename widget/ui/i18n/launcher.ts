/**
 * The launcher's labels (open, close) in each bundled language other than English. They ship
 * with the launcher — the script tag's early one and the element's — so the button is never
 * named in another language while the rest of a language's strings are still loading. The
 * language tables take theirs from here.
 */
export const LAUNCHER_LABELS: Record<string, readonly [open: string, close: string]> = {
  zh: ['打开在线客服', '关闭在线客服'],
  ar: ['فتح المحادثة', 'إغلاق المحادثة'],
  pt: ['Abrir o chat', 'Fechar o chat'],
  fr: ['Ouvrir la discussion', 'Fermer la discussion'],
  es: ['Abrir el chat', 'Cerrar el chat'],
  de: ['Chat öffnen', 'Chat schließen'],
  ja: ['チャットを開く', 'チャットを閉じる'],
  ko: ['채팅 열기', '채팅 닫기'],
};

/** The launcher's labels for a language tag, if it is one of the bundled languages. */
export function launcherLabels(tag: string | undefined): readonly [open: string, close: string] | undefined {
  return LAUNCHER_LABELS[(tag ?? '').slice(0, 2).toLowerCase()];
}
