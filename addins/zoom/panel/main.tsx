// Quorum's Zoom App panel: the agenda, participants, live notes and follow-ups in the meeting;
// upcoming meetings in the main client.
import { createRoot } from 'react-dom/client';
import { QuorumProvider } from '../../../infra/ui/QuorumProvider.tsx';
import { ZoomPanel } from './ZoomPanel.tsx';

createRoot(document.getElementById('root')!).render(
  <QuorumProvider>
    <ZoomPanel />
  </QuorumProvider>,
);
