/**
 * Incidents a digest mentions: those opened from the space since its last
 * digest (the activity projection lists them) that were opened or resolved
 * within the period.
 */
import type { ProjectionStore } from '../projections/store.js';
import { safeId, spaceDocId } from '../projections/views.js';
import type { IncidentNote } from './summary.js';

/** Incidents of `space` opened or resolved in [start, end). */
export async function incidentNotes(
  projections: Pick<ProjectionStore, 'get'>,
  space: string,
  start: Date,
  end: Date,
): Promise<IncidentNote[]> {
  const activity = await projections.get('activity', spaceDocId(space));
  const within = (at: string | undefined) =>
    at !== undefined && Date.parse(at) >= start.getTime() && Date.parse(at) < end.getTime();
  const notes: IncidentNote[] = [];
  for (const { key } of activity?.incidents ?? []) {
    const incident = await projections.get('incidents', safeId(key));
    if (incident === undefined) continue;
    if (within(incident.openedAt)) notes.push({ key, title: incident.title, change: 'opened' });
    if (within(incident.resolvedAt)) notes.push({ key, title: incident.title, change: 'resolved' });
  }
  return notes;
}
