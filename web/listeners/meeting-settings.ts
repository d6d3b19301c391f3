// The tenant's meeting settings, for administrators: read them, change them (audited).
import type { Router } from 'express';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import {
  changeMeetingSettings,
  describeBytes,
  getMeetingSettings,
  meetingSettingsChange,
  type MeetingsService,
} from '../../core/meetings/index.ts';
import type { Store } from '../../core/store/store.ts';
import { requireAdmin } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { mapped } from '../render/meetings.ts';

/** GET and PUT /api/admin/settings. */
export function meetingSettingsRoutes(
  router: Router,
  deps: { meetings: MeetingsService; store: Store; audit: AuditRecorder },
): void {
  const { meetings } = deps;
  router.get(
    '/api/admin/settings',
    mapped(async (req, res) => {
      const { ctx } = requireAdmin(req, res);
      const settings = await getMeetingSettings(deps.store, ctx, meetings.settingsDefaults());
      res.json({
        ...settings,
        recordingLimit: describeBytes(settings.recordingLimitMb * 1024 * 1024),
      });
    }),
  );

  router.put(
    '/api/admin/settings',
    mapped(async (req, res) => {
      const { ctx, user } = requireAdmin(req, res);
      const change = parseInput(meetingSettingsChange, req.body);
      const engines = meetings.recordingEngines();
      if (change.transcriptionEngine && !engines.includes(change.transcriptionEngine)) {
        throw new HttpError(
          400,
          'invalid_input',
          `transcriptionEngine: ${change.transcriptionEngine} is not available on this ` +
            `deployment; choose one of: ${engines.join(', ')}.`,
        );
      }
      const summarizers = meetings.summaryEngines();
      if (change.summaryEngine && !summarizers.includes(change.summaryEngine)) {
        throw new HttpError(
          400,
          'invalid_input',
          `summaryEngine: ${change.summaryEngine} is not available on this deployment; ` +
            `choose one of: ${summarizers.join(', ')}.`,
        );
      }
      const { before, after } = await changeMeetingSettings(
        deps.store,
        ctx,
        change,
        `user:${user._id}`,
        meetings.settingsDefaults(),
      );
      const changed = (Object.keys(after) as Array<keyof typeof after>).filter(
        (name) => before[name] !== after[name],
      );
      if (changed.length > 0) {
        await deps.audit(ctx, {
          action: 'settings.changed',
          actor: `user:${user._id}`,
          target: 'settings:meetings',
          ip: req.ip ?? null,
          userAgent: req.get('user-agent') ?? null,
          details: {
            changed,
            from: Object.fromEntries(changed.map((name) => [name, before[name]])),
            to: Object.fromEntries(changed.map((name) => [name, after[name]])),
          },
        });
      }
      res.json(after);
    }),
  );
}
