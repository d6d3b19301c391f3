export {
  buildAgenda,
  createExtractiveSummarizer,
  summarizeExtractively,
} from './extractive/index.ts';
export { ParticipantDirectory } from './participants.ts';
export {
  SummaryInputError,
  type ActionItem,
  type AgendaItem,
  type Invite,
  type MeetingContext,
  type MeetingSummary,
  type OpenActionItem,
  type Participant,
  type Summarizer,
  type SummarizerEngine,
  type SummaryInput,
} from './summarizer.ts';
