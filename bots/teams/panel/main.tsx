// The Quorum panel in a Teams meeting (side panel, meeting chat tab, details tab), in the Teams
// theme the person uses (light, dark or high contrast), as Teams' own panels are.
import {
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  type Theme,
} from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QuorumProvider } from '../../../infra/ui/QuorumProvider.tsx';
import { Panel, type TeamsThemeName } from './Panel.tsx';

const THEMES: Record<string, Theme> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

function ThemedPanel() {
  const [theme, setTheme] = useState<Theme>(teamsLightTheme);
  const onTheme = useCallback(
    (name: TeamsThemeName) => setTheme(THEMES[name] ?? teamsLightTheme),
    [],
  );
  return (
    <QuorumProvider theme={theme}>
      <Panel onTheme={onTheme} />
    </QuorumProvider>
  );
}

createRoot(document.getElementById('root')!).render(<ThemedPanel />);
