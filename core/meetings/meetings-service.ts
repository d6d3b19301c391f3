// Meetings for people and programs: create one (or link it to a booking), hand it a recording
// or the captions a platform made, read what came out (decrypted only for those who may see
// it), search, get an agenda for the next one, and delete it with a certificate.
//
// This is the facade every surface calls; each method is one named function of a role module:
// records/ (create, read, delete, action items, who may see what), intake/ (captions,
// recordings, live audio, engines), agenda/, search/.
import type { Readable } from 'node:stream';
import type { TranscriberEngine } from '../speech/index.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { meetingAgenda } from './agenda/agenda.ts';
import { addCaptions, type CaptionsInput } from './intake/captions.ts';
import { recordingEngines, settingsDefaults, summaryEngines } from './intake/engines.ts';
import { mayWatch, takeLiveAudio } from './intake/live-audio.ts';
import { addRecording } from './intake/recordings.ts';
import type { MeetingsKit } from './kit.ts';
import type { MeetingActor } from './records/access.ts';
import { markActionItem } from './records/action-items.ts';
import { createMeeting, type CreateMeetingInput } from './records/create.ts';
import { deleteMeeting } from './records/delete.ts';
import { getMeeting, listMine, previousWith } from './records/read.ts';
import { searchMeetings } from './search/search.ts';

// The service's vocabulary (its parameters and results), as index.ts and pipeline.ts import it;
// each is defined with its role.
export { actorName, type MeetingActor } from './records/access.ts';
export { captionsSource, type CaptionsInput } from './intake/captions.ts';
export type { CreateMeetingInput } from './records/create.ts';
export type { MeetingListItem, MeetingView } from './records/views.ts';
export type { SearchHit } from './search/search.ts';

export function createMeetingsService(kit: MeetingsKit) {
  return {
    recordingEngines: () => recordingEngines(kit),
    mayWatch: (ctx: TenantContext, actor: MeetingActor, id: string) =>
      mayWatch(kit, ctx, actor, id),
    takeLiveAudio: (
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
      engine: TranscriberEngine,
    ) => takeLiveAudio(kit, ctx, actor, id, engine),
    settingsDefaults: () => settingsDefaults(kit),
    summaryEngines: () => summaryEngines(kit),
    create: (ctx: TenantContext, actor: MeetingActor, input: CreateMeetingInput) =>
      createMeeting(kit, ctx, actor, input),
    listMine: (
      ctx: TenantContext,
      person: { userId: string; email: string },
      options: { limit?: number; before?: Date } = {},
    ) => listMine(kit, ctx, person, options),
    previousWith: (
      ctx: TenantContext,
      actor: MeetingActor,
      participantEmails: readonly string[],
      before: Date,
    ) => previousWith(kit, ctx, actor, participantEmails, before),
    get: (ctx: TenantContext, actor: MeetingActor, id: string) => getMeeting(kit, ctx, actor, id),
    addCaptions: (ctx: TenantContext, actor: MeetingActor, id: string, input: CaptionsInput) =>
      addCaptions(kit, ctx, actor, id, input),
    addRecording: (
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
      body: Readable,
      info: { contentType: string | null; declaredBytes?: number },
    ) => addRecording(kit, ctx, actor, id, body, info),
    delete: (ctx: TenantContext, actor: MeetingActor, id: string) =>
      deleteMeeting(kit, ctx, actor, id),
    setActionItemDone: (
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
      index: number,
      done: boolean,
    ) => markActionItem(kit, ctx, actor, id, index, done),
    agenda: (ctx: TenantContext, actor: MeetingActor, id: string) =>
      meetingAgenda(kit, ctx, actor, id),
    search: (ctx: TenantContext, person: { userId: string; email: string }, query: string) =>
      searchMeetings(kit, ctx, person, query),
  };
}

export type MeetingsService = ReturnType<typeof createMeetingsService>;
