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
    <MessageBar intent={intent} role={intent === 'error' ? 'alert' : 'status'}>
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {children}
      </MessageBarBody>
    </MessageBar>
  );
}
