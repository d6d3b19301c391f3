// One way to say what happened: an error, a warning, or a success, announced to screen readers.
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ReactNode } from 'react';

export function Notice({
  intent,
  title,
  children,
}: {
  intent: 'error' | 'warning' | 'success' | 'info';
  title?: string;
  children: ReactNode;
}) {
  return (
    // Multiline: a long sentence wraps instead of widening a narrow page (a phone, a side panel).
    <MessageBar intent={intent} layout="multiline" role={intent === 'error' ? 'alert' : 'status'}>
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {children}
      </MessageBarBody>
    </MessageBar>
  );
}
