// What the attention list shows (search, filters, page, scroll), kept while the app runs so
// that opening an attention and coming back finds the list as it was left.
export const listState = $state({
  text: "",
  status: "",
  priority: "",
  kind: "",
  service: "",
  technician: "",
  /** The requester chosen in the filter (id and name as shown), or null for everyone. */
  requester: null as { id: string; name: string } | null,
  from: "",
  to: "",
  page: 1,
  /** How far the list was scrolled (the main area's scrollTop). */
  scroll: 0,
});
