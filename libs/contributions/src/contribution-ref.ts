/**
 * What every event about a contribution carries to say which one and where it sits: ids, tracking number, place and
 * kind. Never its text, its author's words or a moderator's note: events are stored and replayed to late readers, so
 * the text is read under the visibility policy when an event is delivered (the realtime lib's EventDelivery), and a
 * later hide takes effect on every stream.
 */
export const contributionRef = (c: {
  id: string;
  trackingNumber: string;
  documentId: string;
  paragraphId: string | null;
  lineageKey: string | null;
  kind: string;
}) => ({
  id: c.id,
  trackingNumber: c.trackingNumber,
  documentId: c.documentId,
  paragraphId: c.paragraphId,
  lineageKey: c.lineageKey,
  kind: c.kind,
});
