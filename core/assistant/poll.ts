// poll: candidate times from the calendars Quorum can see, for people to vote on; the poll
// service books the meeting once every required person has voted.
//
//   assistant.poll.create(asker, { attendees, durationMinutes, window, preferences?, title,
//     maxOptions, votesHere? })                    -> PollCreatedReply | Problem ('no-people', 'no-times')
//   assistant.poll.withTimes(asker, { title, linkType?, options, participants, email? })
//                                                  -> PollCreatedReply (the times already chosen)
//   assistant.poll.ballot(voter, pollId)           -> BallotReply | Problem ('not-found', 'not-invited', 'closed')
//   assistant.poll.vote(voter, pollId, yes, via)   -> VotedReply | Problem ('closed', 'bad-vote', …)
//
// A new poll's links go out as part of creating it: with email on, each person gets theirs by
// email (once per person, the outbox's key), except those who vote in the asking chat
// (`votesHere`); the reply's `sent` says who was emailed and which links to share by hand.
//
// A voter is { ctx, email }: the platform has verified who this is (a Slack user of the
// workspace, a Teams user), who may be a guest outside Quorum, so not necessarily an Asker.
import type { SlotPreferences } from '../scheduling/availability/index.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import { findTimes, type SchedulingDeps } from '../scheduling/find-times.ts';
import { PollError, type PollService } from '../scheduling/polls/poll-service.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { PollMail } from '../email/poll-mail.ts';
import type { LinkType } from '../identity/user-settings.ts';
import type { Asker } from './asker.ts';
import { problem, type Person, type PollLinksSent, type Problem } from './replies.ts';

export interface Voter {
  ctx: TenantContext;
  email: string;
}

type Created = Awaited<ReturnType<PollService['create']>>;
type Found = NonNullable<Awaited<ReturnType<PollService['get']>>>;

export interface PollCreatedReply extends Created {
  kind: 'poll-created';
  /** Who was emailed their link, and which links the organizer must share by hand. */
  sent: PollLinksSent;
}

export interface BallotReply {
  kind: 'ballot';
  poll: Found['poll'];
  /** The options this voter said yes to so far. */
  mine: number[];
}

export interface VotedReply extends Found {
  kind: 'voted';
  /** The booking the poll made, the first time a vote completed it (announce it once). */
  booked: BookingDoc | null;
}

export class Polls {
  readonly #scheduling: SchedulingDeps;
  readonly #polls: PollService;
  readonly #bookings: BookingService;
  readonly #mail: PollMail | undefined;

  constructor(deps: {
    scheduling: SchedulingDeps;
    polls: PollService;
    bookings: BookingService;
    /** Polls' emails (core/email); absent, every link is to be shared by hand. */
    mail?: PollMail;
  }) {
    this.#scheduling = deps.scheduling;
    this.#polls = deps.polls;
    this.#bookings = deps.bookings;
    this.#mail = deps.mail;
  }

  async create(
    asker: Asker,
    input: {
      attendees: Person[];
      durationMinutes: number;
      window: { start: Date; end: Date };
      preferences?: SlotPreferences;
      title: string;
      maxOptions: number;
      /** Emails of people who vote in the asking chat (its buttons): not emailed. */
      votesHere?: string[];
    },
  ): Promise<PollCreatedReply | Problem> {
    if (input.attendees.length === 0) {
      return problem('no-people', 'Say who should vote.');
    }
    const found = await findTimes(this.#scheduling, asker.ctx, {
      organizerEmail: asker.user.email,
      attendees: input.attendees.map((a) => ({ email: a.email, optional: a.optional })),
      durationMinutes: input.durationMinutes,
      window: input.window,
      ...(input.preferences ? { preferences: input.preferences } : {}),
      limit: input.maxOptions,
    });
    if (found.slots.length === 0) {
      return problem(
        'no-times',
        'No time in that window works for the people whose calendars Quorum can see, so there is nothing to vote on.',
        'Try a longer window or a shorter meeting.',
      );
    }
    const options = [...found.slots]
      .sort((a, b) => a.start - b.start)
      .map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
    return this.withTimes(asker, {
      title: input.title,
      linkType: asker.settings.defaultLinkType,
      options,
      participants: input.attendees.map((a) => ({
        email: a.email,
        ...(a.name ? { name: a.name } : {}),
        required: !a.optional,
      })),
      ...(input.votesHere ? { votesHere: input.votesHere } : {}),
    });
  }

  /**
   * A poll on times the organizer chose. `email: false` when the organizer delivers the links
   * themselves (Outlook puts them in the email being written).
   */
  async withTimes(
    asker: Asker,
    input: {
      title: string;
      linkType?: LinkType;
      options: Array<{ start: Date; end: Date }>;
      participants: Array<{ email: string; name?: string; required: boolean }>;
      votesHere?: string[];
      email?: boolean;
    },
  ): Promise<PollCreatedReply> {
    const created = await this.#polls.create(asker.ctx, {
      organizerId: asker.user._id,
      organizerEmail: asker.user.email,
      title: input.title,
      linkType: input.linkType ?? asker.settings.defaultLinkType,
      options: input.options,
      participants: input.participants,
    });
    const here = new Set(input.votesHere ?? []);
    const sent = await this.#send(asker.ctx, created, here, input.email !== false);
    return { kind: 'poll-created', ...created, sent };
  }

  async #send(
    ctx: TenantContext,
    created: Created,
    here: ReadonlySet<string>,
    wanted: boolean,
  ): Promise<PollLinksSent> {
    const elsewhere = created.links.filter((l) => !here.has(l.email));
    const emailOn = this.#mail?.enabled ?? false;
    if (!this.#mail || !emailOn || !wanted) {
      return { emailOn, emailed: [], shareByHand: elsewhere };
    }
    await this.#mail.sendToGuests(ctx, created.poll, here);
    return { emailOn, emailed: elsewhere.map((l) => l.email), shareByHand: [] };
  }

  /** What a voter may vote on, and what they said so far. */
  async ballot(voter: Voter, pollId: string): Promise<BallotReply | Problem> {
    const found = await this.#polls.get(voter.ctx, pollId);
    if (!found) return problem('not-found', 'This poll no longer exists.');
    if (!found.poll.participants.some((p) => p.email === voter.email)) {
      return problem('not-invited', 'Only the people invited to this poll can vote in it.');
    }
    if (found.poll.status !== 'open') {
      return problem('closed', 'This poll is closed; everyone has voted.');
    }
    const mine = found.cast.find((v) => v.email === voter.email)?.yes ?? [];
    return { kind: 'ballot', poll: found.poll, mine };
  }

  /**
   * Records the voter's yes-options. The poll service takes votes through a participant's
   * signed link; the platform has verified who this is, so Quorum signs that person's link.
   * `once(pollId)` is true the first time the booked poll is seen, so it is announced once.
   */
  async vote(
    voter: Voter,
    pollId: string,
    yes: number[],
    options: { via: string; once(pollId: string): Promise<boolean> },
  ): Promise<VotedReply | Problem> {
    const link = await this.#polls.linkFor(voter.ctx, pollId, voter.email);
    try {
      const token = new URL(link).searchParams.get('t') ?? '';
      // Chat ballots make "none" a deliberate act: Slack's ballot says "Tick none if no time
      // works", and a Teams card takes back a yes one click at a time.
      await this.#polls.vote(pollId, token, yes, options.via, { noneWork: yes.length === 0 });
    } catch (error) {
      if (error instanceof PollError) return problem(error.code, error.message);
      throw error;
    }
    const after = await this.#polls.get(voter.ctx, pollId);
    if (!after) return problem('not-found', 'This poll no longer exists.');
    // Racing final votes both see "booked"; the booking is reported once.
    let booked: BookingDoc | null = null;
    if (after.poll.status === 'booked' && after.poll.bookingId && (await options.once(pollId))) {
      booked = (await this.#bookings.get(voter.ctx, after.poll.bookingId)) ?? null;
    }
    return { kind: 'voted', ...after, booked };
  }
}
