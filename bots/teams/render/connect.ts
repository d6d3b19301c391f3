// The cards of "connect": the personal link to Quorum's connect page, and the news of a link.
import { card, heading, md, note, openUrl, plainCard, text, type AdaptiveCard } from './card.ts';

export function connectCard(url: string, reason: string): AdaptiveCard {
  return card(
    [
      heading('Connect Quorum'),
      text(md(reason)),
      note('The link works for 15 minutes and only for you.'),
    ],
    [openUrl('Connect Quorum', url)],
  );
}

/** The message that tells the person they are connected. */
export function connectedCard(connected: {
  email: string;
  calendar: string | null;
  name?: string;
}) {
  const who = connected.name ? `${md(connected.name)} schedules` : 'You schedule';
  return plainCard(
    connected.calendar
      ? `✅ Connected. ${who} as **${md(connected.email)}**, on the ${md(connected.calendar)} calendar.`
      : `✅ Connected. ${who} as **${md(connected.email)}** in Quorum.`,
  );
}
