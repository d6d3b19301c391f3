// What this deployment can use for meetings, for the administrators' settings page: the
// transcription engines it has (the choice is stored by PUT /api/admin/settings) and the
// summarizer it was configured with (chosen by configuration, not per tenant).
import { Router } from 'express';
import { requireAdmin } from '../../infra/http/authenticate.ts';

export function meetingEngineRoutes(deps: {
  transcriptionEngines: () => string[];
  summarizer: string;
}): Router {
  const router = Router();
  router.get('/api/admin/meeting-engines', (req, res) => {
    requireAdmin(req, res);
    res.json({ transcriptionEngines: deps.transcriptionEngines(), summarizer: deps.summarizer });
  });
  return router;
}
