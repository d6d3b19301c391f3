// The Summarizer port: a transcript in, what a person needs from the meeting out; and an
// agenda for the next meeting from its invite and what is still open.
import type { Segment } from '../speech/segment.ts';

export interface Participant {
  /** Display name, e.g. "Ana Lopez": owners are reported with this name. */
  name: string;
  email?: string;
  /** Other names people use for them ("Raj" is found from "Raj Patel" without an alias). */
  aliases?: string[];
}

export interface MeetingContext {
  /** When the meeting started, ISO 8601 with an offset, e.g. 2025-03-12T14:00:00Z. */
  startsAt: string;
  /** IANA zone the meeting was held in: "by Friday" means Friday there. */
  timeZone: string;
}

export interface SummaryInput {
  segments: Segment[];
  participants: Participant[];
  meeting: MeetingContext;
}

export interface ActionItem {
  task: string;
  /** A participant's name where the speaker can be matched to one; null when nobody took it. */
  owner: string | null;
  /** Calendar date (YYYY-MM-DD) in the meeting's zone, or null when none was said. */
  due: string | null;
  /** Index into the segments the item was said in. */
  sourceSegment: number;
}

export interface MeetingSummary {
  /** The sentences that carry the meeting, in the order they were said. */
  summary: string[];
  decisions: string[];
  actionItems: ActionItem[];
  /** Questions asked and left without an answer. */
  openQuestions: string[];
}

export interface Invite {
  title: string;
  description?: string;
  attendees: Participant[];
}

export type OpenActionItem = Pick<ActionItem, 'task' | 'owner' | 'due'>;

export interface AgendaItem {
  topic: string;
  /** Who leads the item, when it is someone's: the owner of an open action item. */
  owner: string | null;
  /** Where the item came from. */
  source: 'invite' | 'open-action-item';
}

export type SummarizerEngine = 'extractive' | 'azure-openai';

export interface Summarizer {
  readonly engine: SummarizerEngine;
  summarize(input: SummaryInput, options?: { signal?: AbortSignal }): Promise<MeetingSummary>;
  agendaFor(
    invite: Invite,
    openActionItems: OpenActionItem[],
    options?: { signal?: AbortSignal },
  ): Promise<AgendaItem[]>;
}

/** Input a summarizer cannot work with, said so a caller can fix it. */
export class SummaryInputError extends Error {
  override readonly name = 'SummaryInputError';
}

/** A summarizing service that cannot be used as configured (missing deployment, bad key…). */
export class SummarizerUnavailableError extends Error {
  override readonly name = 'SummarizerUnavailableError';
}

/** A model's answer that does not fit the summary schema, or was cut off. */
export class SummaryModelError extends Error {
  override readonly name = 'SummaryModelError';
}
