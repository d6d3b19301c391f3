/// <reference types="office-js" />
// The few office-js calls the task pane makes, as promises. Outlook's API is callback-based
// (AsyncResult); each wrapper turns a failed result into an Error carrying Outlook's message.

/** The Mailbox requirement set the pane needs: RecipientsChanged and body.getAsync. */
export const REQUIRED_MAILBOX = '1.7';

function settle<T>(
  resolve: (value: T) => void,
  reject: (error: Error) => void,
): (result: Office.AsyncResult<T>) => void {
  return (result) => {
    if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
    else reject(new Error(result.error?.message ?? 'Outlook refused the change.'));
  };
}

export function call<T>(
  start: (done: (result: Office.AsyncResult<T>) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => start(settle(resolve, reject)));
}

/** Waits for Office.onReady; resolves null when the page is not inside an Office host. */
export function officeReady(timeoutMs = 5000): Promise<Office.HostType | null> {
  if (typeof Office === 'undefined') return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    void Office.onReady((info) => {
      clearTimeout(timer);
      resolve(info.host ?? null);
    });
  });
}

export type ItemMode = 'appointment-compose' | 'appointment-read' | 'message-compose' | 'other';

/** Compose items expose getters as objects with getAsync; read items expose plain values. */
export function itemMode(item: Office.Item | undefined): ItemMode {
  if (!item) return 'other';
  const anyItem = item as unknown as Record<string, unknown>;
  const itemType = anyItem.itemType as Office.MailboxEnums.ItemType | string | undefined;
  if (itemType === Office.MailboxEnums.ItemType.Appointment) {
    const start = anyItem.start as { getAsync?: unknown } | undefined;
    return typeof start?.getAsync === 'function' ? 'appointment-compose' : 'appointment-read';
  }
  if (itemType === Office.MailboxEnums.ItemType.Message) {
    const to = anyItem.to as { getAsync?: unknown } | undefined;
    return typeof to?.getAsync === 'function' ? 'message-compose' : 'other';
  }
  return 'other';
}
