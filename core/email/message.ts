// What an email is before it is rendered and sent, and the rules that keep its headers safe.
//
// Names and titles come from people (a guest's name on a booking page, a meeting title typed in
// Slack) and end up in headers (To's display name, Subject). A CR or LF there would let someone
// add headers of their own (Bcc: …) or a body. The SMTP library encodes headers, but Quorum
// does not rely on that alone: every value meant for a header is made one line here, and an
// address that is not a plain address is refused before anything is queued.

/** Someone a message goes to. */
export interface Recipient {
  email: string;
  name?: string;
}

/** An iTIP part (RFC 5546/6047): the iCalendar text and the method it carries. */
export interface CalendarPart {
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  ics: string;
}

/** A message ready to be sent: headers (one line each), plain text and HTML. */
export interface RenderedEmail {
  to: Recipient;
  subject: string;
  text: string;
  html: string;
  calendar?: CalendarPart;
}

/** What the transport sends; `messageId` is stable per message, so a repeat is recognisable. */
export interface OutgoingMail extends RenderedEmail {
  messageId: string;
}

/** The port infra/providers implements with SMTP. */
export interface MailTransport {
  /** Resolves once the relay accepted the message; rejects when it should be tried again. */
  send(mail: OutgoingMail): Promise<void>;
  close?(): void;
}

const MAX_HEADER_TEXT = 200;

/**
 * One line of text fit for a header: line breaks and every other control character become a
 * space (never simply dropped, so "a\r\nBcc:" cannot join into something else), runs of spaces
 * one, and the length is capped.
 */
export function headerText(value: string, max = MAX_HEADER_TEXT): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ');
  const text = flat.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// A plain address: no display name, no comments, no quoting, no spaces or control characters.
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

export function isPlainAddress(email: string): boolean {
  return email.length <= 254 && ADDRESS.test(email);
}

/** The recipient with a one-line name; throws when the address is not a plain address. */
export function safeRecipient(to: Recipient): Recipient {
  if (!isPlainAddress(to.email)) {
    throw new Error('not a plain email address (name@domain); nothing was sent to it');
  }
  const name = to.name ? headerText(to.name, 80) : '';
  return { email: to.email, ...(name ? { name } : {}) };
}
