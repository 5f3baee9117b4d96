/**
 * The Firestore indexes and index exemptions the event log and the
 * projections need, as data, so the Terraform configuration declares exactly
 * these (and a test can compare the two). Collection names are those of
 * `logCollections()` and `projectionCollectionName()` without a prefix.
 */

/** One field of a composite index. */
export interface IndexField {
  readonly fieldPath: string;
  readonly order: 'ASCENDING' | 'DESCENDING';
}

/** A composite index (`google_firestore_index`). */
export interface CompositeIndex {
  readonly collectionGroup: string;
  readonly queryScope: 'COLLECTION' | 'COLLECTION_GROUP';
  readonly fields: readonly IndexField[];
  /** The query that needs it. */
  readonly why: string;
}

/**
 * A single-field setting (`google_firestore_field`): the indexes the field
 * gets (an empty list exempts it from indexing), or a TTL policy.
 */
export interface FieldOverride {
  readonly collectionGroup: string;
  readonly fieldPath: string;
  readonly indexes: readonly {
    readonly order: 'ASCENDING' | 'DESCENDING';
    readonly queryScope: 'COLLECTION' | 'COLLECTION_GROUP';
  }[];
  readonly ttl?: boolean;
  readonly why: string;
}

/** Composite indexes. */
export const COMPOSITE_INDEXES: readonly CompositeIndex[] = [
  {
    collectionGroup: 'projDigestSchedules',
    queryScope: 'COLLECTION',
    fields: [
      { fieldPath: 'enabled', order: 'ASCENDING' },
      { fieldPath: 'nextDueAt', order: 'ASCENDING' },
    ],
    why: 'dueDigests: enabled == true && nextDueAt <= now, ordered by nextDueAt',
  },
];

/** Single-field overrides: the collection-group index of the log, and exemptions. */
export const FIELD_OVERRIDES: readonly FieldOverride[] = [
  {
    collectionGroup: 'streamEvents',
    fieldPath: 'committedAt',
    indexes: [
      { order: 'ASCENDING', queryScope: 'COLLECTION' },
      { order: 'ASCENDING', queryScope: 'COLLECTION_GROUP' },
    ],
    why: 'readAll: the whole log ordered by committedAt, then document path',
  },
  ...['payload', 'causedBy'].map((fieldPath): FieldOverride => ({
    collectionGroup: 'streamEvents',
    fieldPath,
    indexes: [],
    why: 'never queried; exempt so an append writes fewer index entries',
  })),
  ...['id', 'stream', 'version'].map((fieldPath): FieldOverride => ({
    collectionGroup: 'eventIds',
    fieldPath,
    indexes: [],
    why: 'id claims are only read by key',
  })),
  ...['people', 'threads', 'recentMessages', 'incidents', 'counts'].map(
    (fieldPath): FieldOverride => ({
      collectionGroup: 'projActivity',
      fieldPath,
      indexes: [],
      why: 'bounded lists and counts, read by key; arrays would index every element',
    }),
  ),
];

/**
 * TTL fields. None: the log keeps every event (versions must never vanish,
 * see firestore-store.ts) and projections are rebuilt from it. Message text
 * is not stored unless STORE_MESSAGE_TEXT is on.
 */
export const TTL_FIELDS: readonly FieldOverride[] = [];
