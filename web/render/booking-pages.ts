// A booking page as the web app's JSON shows it: its settings and the public link to it.
import type { BookingPageDoc } from '../../core/scheduling/booking-pages/index.ts';

export function pageView(page: BookingPageDoc, baseUrl: string) {
  return {
    slug: page._id,
    title: page.title,
    description: page.description,
    durationMinutes: page.durationMinutes,
    windowDays: page.windowDays,
    minNoticeMinutes: page.minNoticeMinutes,
    hostEmails: page.hostEmails,
    url: `${baseUrl}/book/${page._id}`,
  };
}
