// What an owner may publish and what a guest may send, checked before the service sees it.
import { z } from 'zod';

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());

export const bookingPageInput = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$/, 'use 3–60 lowercase letters, digits and dashes'),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  durationMinutes: z.number().int().min(5).max(480),
  windowDays: z.number().int().min(1).max(60).default(14),
  minNoticeMinutes: z
    .number()
    .int()
    .min(0)
    .max(14 * 24 * 60)
    .default(120),
  hostEmails: z.array(email).max(20).default([]),
});
export type BookingPageInput = z.output<typeof bookingPageInput>;

export const guestBookingInput = z.object({
  name: z.string().trim().min(1).max(120),
  email,
  notes: z.string().trim().max(2000).default(''),
  start: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() % 60_000 === 0, 'must be on a whole minute'),
});
export type GuestBookingInput = z.output<typeof guestBookingInput>;
