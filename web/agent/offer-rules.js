// What an offer is and when the console claims one by itself. No DOM, so tests/e2e/apps/ runs it
// under node.

// An offer as claim-next answers it (a queue entry) or as the live "offer" event tells it
// (queue_entry_id, expires_at), in one shape: the entry, with id and offer_expires_at.
export function offerFrom(detail) {
  return {...detail, id: detail.queue_entry_id || detail.id,
          offer_expires_at: detail.offer_expires_at || detail.expires_at};
}

// Whether a citizen waits in one of the queues (site id -> entries) for a service this agent
// serves, in a language they speak: an available agent is then offered them at once.
export function citizenWaitingFor(me, queues) {
  return [...queues.values()].some((entries) => entries.some((entry) =>
    entry.state === 'waiting' && (me.service_ids || []).includes(entry.service_id) &&
    (me.languages || []).includes(entry.language)));
}
