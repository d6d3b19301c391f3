// The title of a meeting a guest books from a booking page. The page's title is the event type
// ("Intro call"), to which the guest's name is added; a page titled after its host already
// says "with" ("Intro call with Ana"), and a second "with" read "Intro call with Ana with Gina
// Guest": the guest then joins the list ("Intro call with Ana and Gina Guest").

const WITH = /\bwith\b/i;

export function guestBookingTitle(pageTitle: string, guestName: string): string {
  const title = pageTitle.trim();
  const guest = guestName.trim();
  if (!guest) return title;
  return WITH.test(title) ? `${title} and ${guest}` : `${title} with ${guest}`;
}
