// The one theme for every Quorum page. Fluent UI v9: the Microsoft hosts (Teams, Outlook) draw
// their own chrome with it, so Quorum's panels look native there and plain elsewhere.
import { FluentProvider, webLightTheme, type Theme } from '@fluentui/react-components';
import type { ReactNode } from 'react';

export function QuorumProvider({ children, theme }: { children: ReactNode; theme?: Theme }) {
  return (
    <FluentProvider theme={theme ?? webLightTheme} style={{ minHeight: '100vh' }}>
      {children}
    </FluentProvider>
  );
}
