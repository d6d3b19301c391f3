// The organizer of a booking and the online-meeting link to put into its event.
import type { OnlineMeetingKind } from '../../calendars/provider.ts';
import type { LinkType } from '../../identity/user-settings.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { SchedulingDeps } from '../find-times.ts';
import { resolvePeople, type Colleague } from '../people.ts';
import { BookingError } from './booking-error.ts';

/** Makes a Zoom meeting when the organizer has connected Zoom (the Zoom integration). */
export interface ZoomMeetings {
  create(
    ctx: TenantContext,
    organizerId: string,
    meeting: { title: string; start: Date; end: Date; timeZone: string },
  ): Promise<{ joinUrl: string } | undefined>;
}

const NATIVE_LINK: Record<string, LinkType> = { google: 'meet', microsoft: 'teams' };

export async function organizerOf(
  deps: SchedulingDeps & { zoom?: ZoomMeetings },
  ctx: TenantContext,
  email: string,
): Promise<Colleague> {
  const person = (await resolvePeople(deps, ctx, [email])).get(email.toLowerCase());
  if (person?.kind !== 'colleague') {
    throw new BookingError('not-a-colleague', `${email} is not a member of your organization.`);
  }
  return person;
}

/** The link to put into the event: the calendar's own kind, or a Zoom meeting made first. */
export async function linkFor(
  deps: SchedulingDeps & { zoom?: ZoomMeetings },
  ctx: TenantContext,
  organizer: Colleague,
  request: { linkType: LinkType; title: string; start: Date; end: Date },
): Promise<{ onlineMeeting: OnlineMeetingKind; joinUrl?: string }> {
  const kind = organizer.calendar.provider.kind;
  if (request.linkType === 'none') return { onlineMeeting: 'none' };
  if (request.linkType === 'zoom') {
    const zoom = await deps.zoom?.create(ctx, organizer.user._id, {
      ...request,
      timeZone: organizer.settings.timeZone,
    });
    if (!zoom)
      throw new BookingError(
        'link-unavailable',
        'Zoom is not connected. Connect Zoom, or choose another meeting link.',
      );
    return { onlineMeeting: 'zoom', joinUrl: zoom.joinUrl };
  }
  if (NATIVE_LINK[kind] !== request.linkType) {
    const needs = request.linkType === 'teams' ? 'Microsoft 365' : 'Google';
    throw new BookingError(
      'link-unavailable',
      `A ${request.linkType === 'teams' ? 'Teams' : 'Meet'} link needs a connected ${needs} calendar. Connect it, or choose another meeting link.`,
    );
  }
  return { onlineMeeting: request.linkType };
}
