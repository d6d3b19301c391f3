// The Quorum panel in a Teams meeting (side panel, meeting chat tab, details tab).
import { createRoot } from 'react-dom/client';
import { QuorumProvider } from '../../../web/ui/components/QuorumProvider.tsx';
import { Panel } from './Panel.tsx';

createRoot(document.getElementById('root')!).render(
  <QuorumProvider>
    <Panel />
  </QuorumProvider>,
);
