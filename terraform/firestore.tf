# The Firestore database (native mode), its indexes, index exemptions and TTL
# policies. Terraform never deletes the data: destroy leaves the database.
# The lists below mirror shared/eventlog/indexes.ts and the TTL policies of
# shared/deploy-manifest.ts; a test keeps them equal.

resource "google_firestore_database" "main" {
  name                    = var.firestore_database
  location_id             = var.firestore_location != "" ? var.firestore_location : var.region
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  deletion_policy         = "ABANDON"
  depends_on              = [google_project_service.enabled]
}

# Due digests: enabled == true && nextDueAt <= now, ordered by nextDueAt.
resource "google_firestore_index" "digest_schedules_due" {
  database    = google_firestore_database.main.name
  collection  = "projDigestSchedules"
  query_scope = "COLLECTION"

  fields {
    field_path = "enabled"
    order      = "ASCENDING"
  }

  fields {
    field_path = "nextDueAt"
    order      = "ASCENDING"
  }
}

# The whole log in commit order is a collection-group query on streamEvents,
# which needs a collection-group index Firestore does not create by itself.
resource "google_firestore_field" "stream_events_committed_at" {
  database   = google_firestore_database.main.name
  collection = "streamEvents"
  field      = "committedAt"

  index_config {
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION"
    }
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION_GROUP"
    }
  }
}

locals {
  # Fields never queried: an empty index_config exempts them from indexing,
  # so writes create fewer index entries (arrays would index every element).
  firestore_unindexed_fields = {
    stream_events_payload    = { collection = "streamEvents", field = "payload" }
    stream_events_caused_by  = { collection = "streamEvents", field = "causedBy" }
    event_ids_id             = { collection = "eventIds", field = "id" }
    event_ids_stream         = { collection = "eventIds", field = "stream" }
    event_ids_version        = { collection = "eventIds", field = "version" }
    activity_people          = { collection = "projActivity", field = "people" }
    activity_threads         = { collection = "projActivity", field = "threads" }
    activity_recent_messages = { collection = "projActivity", field = "recentMessages" }
    activity_incidents       = { collection = "projActivity", field = "incidents" }
    activity_counts          = { collection = "projActivity", field = "counts" }
  }

  # Records that expire: Firestore deletes a document within about a day
  # after the time in the field.
  firestore_ttl_fields = {
    rejected          = { collection = "rejected", field = "expireAt" }
    oauth_states      = { collection = "oauthStates", field = "expireAt" }
    user_token_leases = { collection = "userTokenLeases", field = "expireAt" }
  }
}

resource "google_firestore_field" "unindexed" {
  for_each   = local.firestore_unindexed_fields
  database   = google_firestore_database.main.name
  collection = each.value.collection
  field      = each.value.field

  index_config {}
}

resource "google_firestore_field" "ttl" {
  for_each   = local.firestore_ttl_fields
  database   = google_firestore_database.main.name
  collection = each.value.collection
  field      = each.value.field

  ttl_config {}
  index_config {}
}
