// The Schedule page's fair rotation: asked for when a weekly series finds no time inside
// everyone's hours, and booked as its interleaved series (POST /api/rotations).
import { useState } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import type { RotationView } from './RotationPlan.tsx';

export interface RotationQuestion {
  attendees: Array<{ email: string; name?: string }>;
  durationMinutes: number;
  window: { start: string; end: string };
  count: number;
  title?: string;
}

export interface RotationBookedView {
  bookings: Array<{ _id: string; title: string; start: string; end: string }>;
  message: string;
}

export function useRotation() {
  const [plan, setShown] = useState<RotationView | null>(null);
  // One key per plan shown: booking it twice (a double click, a retry) books it once.
  const [key, setKey] = useState('');
  const setPlan = (next: RotationView | null) => {
    setShown(next);
    setKey(`web-rotation-${crypto.randomUUID()}`);
  };
  const [booked, setBooked] = useState<RotationBookedView | null>(null);

  /** The plan, or none when one time suits everyone or nothing works every week. */
  const ask = async (question: RotationQuestion) => {
    const found = await api<RotationView>('/api/rotations/plan', { body: question }).catch(
      () => null,
    );
    setPlan(found && !found.oneTimeSuits && found.times.length > 1 ? found : null);
  };

  /** Books the plan shown; throws what the server said (the page shows it). */
  const book = async (details: { title: string; linkType: string; description?: string }) => {
    if (!plan) return;
    const result = await api<RotationBookedView>('/api/rotations', {
      body: {
        ...plan.booking,
        ...details,
        idempotencyKey: key,
      },
    });
    setBooked(result);
    setPlan(null);
  };

  return { plan, setPlan, booked, setBooked, ask, book };
}
export type RotationState = ReturnType<typeof useRotation>;
