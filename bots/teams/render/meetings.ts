// What the bot tells a meeting chat about the meeting itself: that its transcript cannot be read.
import { card, md, text, type AdaptiveCard } from './card.ts';

export function transcriptBlockedCard(detail: string): AdaptiveCard {
  return card([
    text('⚠️ **Quorum cannot read this meeting’s transcript**', { size: 'Medium' }),
    text(md(detail)),
    text(
      'An administrator of your Microsoft tenant grants Quorum the application permission **OnlineMeetingTranscript.Read.All** (Microsoft Graph, admin consent), or consents to the app’s resource-specific permission **OnlineMeetingTranscript.Read.Chat** for meeting chats, and makes sure transcription is allowed by the meeting policy. Then there will be a summary after the next meeting.',
    ),
  ]);
}
