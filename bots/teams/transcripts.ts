// A Teams meeting's transcript through Microsoft Graph: the online meeting is found from the
// Bot Connector's meeting details (its Graph resource id and organizer), then
//   GET /users/{organizer}/onlineMeetings/{id}/transcripts
//   GET /users/{organizer}/onlineMeetings/{id}/transcripts/{transcriptId}/content?$format=text/vtt
// as the bot's application (OnlineMeetingTranscript.Read.All, or the meeting chat's RSC grant).
import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';

const transcriptList = z.object({
  value: z.array(
    z.object({
      id: z.string().min(1),
      createdDateTime: z.string().optional(),
    }),
  ),
});

export type TranscriptFetch =
  | { kind: 'found'; transcriptId: string; vtt: string }
  | { kind: 'not-yet' }
  | { kind: 'forbidden'; detail: string };

export function createTranscriptReader(options: {
  graphUrl: string;
  token: () => Promise<string>;
}) {
  const root = new URL(options.graphUrl);
  if (root.protocol !== 'https:') {
    throw new RangeError(`TEAMS_GRAPH_URL must be an https URL, got ${root.href}`);
  }
  const baseUrl = root.href.endsWith('/') ? root.href : `${root.href}/`;
  const graph = Client.init({
    authProvider: (done) => {
      options.token().then(
        (token) => done(null, token),
        (error: unknown) => done(error as Error, null),
      );
    },
    baseUrl,
    // The client attaches the token only to hosts it knows or is told about.
    customHosts: new Set([root.hostname]),
  });

  return {
    async fetch(organizerId: string, onlineMeetingId: string): Promise<TranscriptFetch> {
      const path = `/users/${encodeURIComponent(organizerId)}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/transcripts`;
      try {
        const list = transcriptList.parse(await graph.api(path).version('v1.0').get());
        if (list.value.length === 0) return { kind: 'not-yet' };
        // The latest transcript: a meeting transcribed twice has the whole of it in the last.
        const latest = [...list.value].sort((a, b) =>
          (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''),
        )[0]!;
        const content: unknown = await graph
          .api(`${path}/${encodeURIComponent(latest.id)}/content`)
          .version('v1.0')
          .query({ $format: 'text/vtt' })
          .responseType(ResponseType.TEXT)
          .get();
        const vtt =
          typeof content === 'string'
            ? content
            : Buffer.from(content as ArrayBuffer).toString('utf8');
        if (!vtt.trim()) return { kind: 'not-yet' };
        return { kind: 'found', transcriptId: latest.id, vtt };
      } catch (error) {
        const status = (error as { statusCode?: unknown }).statusCode;
        if (status === 403) {
          const message = (error as { message?: unknown }).message;
          return {
            kind: 'forbidden',
            detail:
              typeof message === 'string' && message
                ? `Microsoft Graph said: ${message}`
                : 'Microsoft Graph refused access to the transcript.',
          };
        }
        // Not there yet: Teams publishes transcripts some minutes after a meeting ends.
        if (status === 404) return { kind: 'not-yet' };
        throw error;
      }
    },
  };
}

export type TranscriptReader = ReturnType<typeof createTranscriptReader>;
