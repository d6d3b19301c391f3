// A meeting's action items live in one document (`meeting_actions`, `_id` the meeting id):
// their words sealed together, each item's state (done, when) in plaintext beside them.
import { serialized } from '../store/serial.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { MeetingsKit } from './kit.ts';
import type { ActionItemContent, ActionItemWords } from './sealed-content.ts';

export interface NewActionItem extends ActionItemWords {
  sourceSegment: number;
}

/** Replaces the meeting's action items (a resumed step writes the same document again). */
export async function writeActionItems(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
  items: readonly NewActionItem[],
): Promise<void> {
  const { ActionItems } = await kit.models(ctx);
  const sealed = await kit.sealed.actionItems.seal(ctx, {
    _id: meetingId,
    items: items.map((item, index) => ({
      index,
      sourceSegment: item.sourceSegment,
      done: false,
      doneAt: null,
    })),
    content: items.map(({ task, owner, due }) => ({ task, owner, due })),
  });
  await serialized(key(ActionItems.db.name, meetingId), () =>
    ActionItems.replaceOne({ _id: meetingId }, sealed, { upsert: true }),
  );
}

/** The meeting's action items in order, decrypted; none when it has no document. */
export async function readActionItems(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
): Promise<ActionItemContent[]> {
  const { ActionItems } = await kit.models(ctx);
  const stored = await ActionItems.findById(meetingId).lean();
  if (!stored) return [];
  const opened = await kit.sealed.actionItems.open(ctx, stored);
  return opened.items.map((state, position) => ({
    meetingId,
    ...state,
    ...opened.content[position]!,
  }));
}

function key(db: string, meetingId: string): string {
  return `${db}/meeting_actions/${meetingId}`;
}

/**
 * Ticks an action item off (or on again). False when the meeting has no item `index`. The
 * item's fields are set by position, atomically on MongoDB; in order here (see serial.ts).
 */
export async function setActionItemDone(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
  index: number,
  done: boolean,
): Promise<boolean> {
  const { ActionItems } = await kit.models(ctx);
  return serialized(key(ActionItems.db.name, meetingId), async () => {
    const stored = await ActionItems.findById(meetingId, { items: 1 }).lean();
    const position = stored?.items.findIndex((item) => item.index === index) ?? -1;
    if (position < 0) return false;
    await ActionItems.updateOne(
      { _id: meetingId },
      {
        $set: {
          [`items.${position}.done`]: done,
          [`items.${position}.doneAt`]: done ? kit.now() : null,
        },
      },
    );
    return true;
  });
}

/**
 * Re-labels the owners `rename` picks (erasure of a person); resolves to how many. The words
 * are re-sealed together; `apply: false` only counts.
 */
export async function relabelActionItemOwners(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetingId: string,
  rename: (owner: string) => string | null,
  apply: boolean,
): Promise<number> {
  const { ActionItems } = await kit.models(ctx);
  return serialized(key(ActionItems.db.name, meetingId), async () => {
    const stored = await ActionItems.findById(meetingId).lean();
    if (!stored) return 0;
    const opened = await kit.sealed.actionItems.open(ctx, stored);
    let changed = 0;
    const content = opened.content.map((words) => {
      const renamed = words.owner === null ? null : rename(words.owner);
      if (renamed === null) return words;
      changed += 1;
      return { ...words, owner: renamed };
    });
    if (apply && changed > 0) {
      const resealed = await kit.sealed.actionItems.seal(ctx, { ...opened, content });
      await ActionItems.updateOne({ _id: meetingId }, { $set: { content: resealed.content } });
    }
    return changed;
  });
}
